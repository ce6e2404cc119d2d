package io.tokencast.testkit.wechat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Classic semantics (/cgi-bin/token, component and authorizer tokens): every call mints a new token; the
 * previous one keeps working for the overlap, anything older dies at once (docs/wechat-api.md §1.2).
 */
final class RotatingPool {

    private record Generation(IssuedToken current, IssuedToken previous) {}

    private final TokenRegistry registry;
    private final MintedKind kind;
    private final WeChatEndpoint endpoint;
    private final Map<String, Generation> byAccount = new HashMap<>();

    RotatingPool(TokenRegistry registry, MintedKind kind, WeChatEndpoint endpoint) {
        this.registry = registry;
        this.kind = kind;
        this.endpoint = endpoint;
    }

    IssuedToken issue(String account, Instant now, Duration lifetime, Duration overlap) {
        Generation before = byAccount.get(account);
        if (before != null) {
            if (before.previous() != null) {
                before.previous().dieAt(now);
            }
            before.current().dieAt(now.plus(overlap));
        }
        IssuedToken next = registry.mint(kind, account, endpoint, now, lifetime);
        byAccount.put(account, new Generation(next, before == null ? null : before.current()));
        return next;
    }
}
