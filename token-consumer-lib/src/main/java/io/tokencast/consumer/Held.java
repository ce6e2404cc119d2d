package io.tokencast.consumer;

import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;

/**
 * What a view holds for one key: an immutable snapshot swapped whole, so readers need no lock. Times are
 * epoch millis so the read path compares longs instead of allocating instants.
 *
 * @param event the held version, or null once the key was removed
 * @param token the servable token, or null when removed or published encrypted
 * @param version the held version, or the last one seen before removal
 */
record Held(TokenKey key, TokenRefreshed event, Token token, long version, long expiresAtMillis, long staleAtMillis) {

    static Held of(TokenRefreshed event, long staleGraceMillis) {
        Token token = event.token() == null
                ? null
                : new Token(
                        event.tokenKey(),
                        event.token(),
                        event.version(),
                        event.fingerprint(),
                        event.issuedAt(),
                        event.expiresAt());
        return new Held(
                event.tokenKey(),
                event,
                token,
                event.version(),
                event.expiresAt().toEpochMilli(),
                event.nextRefreshAt().toEpochMilli() + staleGraceMillis);
    }

    static Held removed(TokenKey key, long lastVersion) {
        return new Held(key, null, null, lastVersion, Long.MIN_VALUE, Long.MIN_VALUE);
    }

    boolean isRemoved() {
        return event == null;
    }

    TokenState state(long nowMillis) {
        if (isRemoved()) {
            return TokenState.ABSENT;
        }
        if (nowMillis >= expiresAtMillis) {
            return TokenState.EXPIRED;
        }
        return nowMillis >= staleAtMillis ? TokenState.STALE : TokenState.FRESH;
    }
}
