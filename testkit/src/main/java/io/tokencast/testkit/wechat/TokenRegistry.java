package io.tokencast.testkit.wechat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Every credential the sandbox ever issued, by value, so any endpoint can judge a presented token. */
final class TokenRegistry {

    private final Map<String, IssuedToken> byValue = new HashMap<>();

    IssuedToken mint(MintedKind kind, String account, WeChatEndpoint issuedBy, Instant now, Duration lifetime) {
        String value;
        do {
            value = kind.isTicket() ? Secrets.jsTicket() : Secrets.accessToken();
        } while (byValue.containsKey(value));
        IssuedToken token = new IssuedToken(value, kind, account, issuedBy, now, lifetime);
        byValue.put(value, token);
        return token;
    }

    Optional<IssuedToken> find(String value) {
        return Optional.ofNullable(value).map(byValue::get);
    }

    long issued(String account, WeChatEndpoint endpoint) {
        return byValue.values().stream()
                .filter(t -> t.account.equals(account) && t.issuedBy == endpoint)
                .count();
    }

    long valid(String account, WeChatEndpoint endpoint, Instant now) {
        return byValue.values().stream()
                .filter(t -> t.account.equals(account) && t.issuedBy == endpoint && t.validAt(now))
                .count();
    }

    /** WeCom may invalidate tokens early "for operational reasons"; tests use this to play that. */
    void invalidateAll(String account, Instant now) {
        byValue.values().stream().filter(t -> t.account.equals(account)).forEach(t -> t.dieAt(now));
    }
}
