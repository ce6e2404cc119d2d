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
        return get(account, now, lifetime, Duration.ZERO);
    }

    /** As above, but a credential in its last {@code rotateWithin} is replaced too (it still works to its end). */
    IssuedToken get(String account, Instant now, Duration lifetime, Duration rotateWithin) {
        IssuedToken token = current.get(account);
        if (token == null || !token.validAt(now) || token.remainingSeconds(now) < rotateWithin.toSeconds()) {
            token = registry.mint(kind, account, endpoint, now, lifetime);
            current.put(account, token);
        }
        return token;
    }
}
