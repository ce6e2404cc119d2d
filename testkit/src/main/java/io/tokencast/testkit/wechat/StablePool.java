package io.tokencast.testkit.wechat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * /cgi-bin/stable_token, isolated from classic tokens (docs/wechat-api.md §2.2). Normal mode returns the current
 * token until its last {@code overlap}, then a new one while the old lives out its life; force mode mints a
 * new token and kills the old one, but not twice within the force spacing ("否则不会刷新").
 */
final class StablePool {

    private final TokenRegistry registry;
    private final Map<String, IssuedToken> current = new HashMap<>();
    private final Map<String, Instant> lastForce = new HashMap<>();

    StablePool(TokenRegistry registry) {
        this.registry = registry;
    }

    IssuedToken normal(String appid, Instant now, SandboxSettings settings) {
        IssuedToken token = current.get(appid);
        boolean rotate = token == null
                || !token.validAt(now)
                || token.remainingSeconds(now) <= settings.overlap().toSeconds();
        if (rotate) {
            token = mint(appid, now, settings.tokenLifetime());
        }
        return token;
    }

    /** True when a force call now would refresh; false inside the spacing, when it degrades to normal mode. */
    boolean forceWouldRefresh(String appid, Instant now, Duration spacing) {
        Instant last = lastForce.get(appid);
        return last == null || !now.isBefore(last.plus(spacing));
    }

    IssuedToken force(String appid, Instant now, SandboxSettings settings) {
        IssuedToken old = current.get(appid);
        if (old != null) {
            old.dieAt(now);
        }
        lastForce.put(appid, now);
        return mint(appid, now, settings.tokenLifetime());
    }

    private IssuedToken mint(String appid, Instant now, Duration lifetime) {
        IssuedToken token =
                registry.mint(MintedKind.STABLE_ACCESS_TOKEN, appid, WeChatEndpoint.STABLE_TOKEN, now, lifetime);
        current.put(appid, token);
        return token;
    }
}
