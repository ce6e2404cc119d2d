package io.tokencast.testkit.wechat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** WeCom gettoken and getticket semantics: the same credential while it is valid, a new one after. */
final class ReusingPool {

    private final TokenRegistry registry;
    private final MintedKind kind;
    private final WeChatEndpoint endpoint;
    private final Map<String, IssuedToken> current = new HashMap<>();

    ReusingPool(TokenRegistry registry, MintedKind kind, WeChatEndpoint endpoint) {
        this.registry = registry;
        this.kind = kind;
        this.endpoint = endpoint;
    }

    IssuedToken get(String account, Instant now, Duration lifetime) {
        IssuedToken token = current.get(account);
        if (token == null || !token.validAt(now)) {
            token = registry.mint(kind, account, endpoint, now, lifetime);
            current.put(account, token);
        }
        return token;
    }
}
