package io.tokencast.testkit.wechat;

import java.time.Instant;

/**
 * One API call the sandbox answered. Credentials appear only as fingerprints ({@code sha256:} + 16 hex);
 * {@code errcode} is null when no JSON answer was sent, {@code fault} names an injected transport fault.
 */
public record SandboxCall(
        Instant at,
        WeChatEndpoint endpoint,
        String method,
        String account,
        String callerIp,
        int httpStatus,
        Integer errcode,
        String presentedFingerprint,
        String issuedFingerprint,
        String fault) {}
