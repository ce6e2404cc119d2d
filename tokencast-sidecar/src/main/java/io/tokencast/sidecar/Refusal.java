package io.tokencast.sidecar;

/**
 * A gateway call answered by the sidecar itself, never forwarded: the answer, and the reason its refusal metric
 * counts ({@link GatewayMetrics#refusal}, a fixed set of values).
 */
record Refusal(String reason, Answer answer) implements CredentialResolver.Resolution {}
