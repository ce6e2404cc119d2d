package io.tokencast.testkit.wechat;

import java.time.Instant;

/**
 * One API call the sandbox answered. Credentials appear only as fingerprints ({@code sha256:} + 16 hex);
 * {@code errcode} is null when no JSON answer was sent, {@code fault} names an injected transport fault.
 *
 * @param caller the caller's {@code User-Agent}, so tests can tell which client fetched a token
 * @param headerNames the request's header names, lower case (values are never kept)
 * @param rawQuery the query as sent, with every {@code access_token}-like value replaced by its fingerprint
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
        String fault,
        String caller,
        java.util.Set<String> headerNames,
        String rawQuery) {}
