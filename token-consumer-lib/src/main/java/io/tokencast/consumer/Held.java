package io.tokencast.consumer;

import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;

/**
 * What a view holds for one key: an immutable snapshot swapped whole, so readers need no lock. Times are
 * epoch millis so the read path compares longs instead of allocating instants. The token was decrypted
 * once, when its version was applied; reads never decrypt.
 *
 * @param event the held version, or null once the key was removed
 * @param token the servable token, or null when removed or when this service holds no key for it
 * @param version the held version, or the last one seen before removal
 * @param unreadable a version newer than the servable one (or the only one) that this service cannot
 *     decrypt, or null: the key reports {@link TokenState#NO_KEY}
 */
record Held(
        TokenKey key,
        TokenRefreshed event,
        Token token,
        long version,
        long expiresAtMillis,
        long staleAtMillis,
        Unreadable unreadable) {

    /** A version published encrypted under a key this service does not hold, or outside its scopes. */
    record Unreadable(long version, String kid, String reason) {}

    static Held of(TokenRefreshed event, long staleGraceMillis) {
        return of(event, event.token(), staleGraceMillis);
    }

    /** {@code event} with its token already revealed ({@code plaintext}), or null when it cannot be. */
    static Held of(TokenRefreshed event, String plaintext, long staleGraceMillis) {
        Token token = plaintext == null
                ? null
                : new Token(
                        event.tokenKey(),
                        plaintext,
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
                saturatedSum(event.nextRefreshAt().toEpochMilli(), staleGraceMillis),
                null);
    }

    /** The only version known of a key, which this service cannot decrypt. */
    static Held unreadable(TokenRefreshed event, Unreadable unreadable, long staleGraceMillis) {
        Held held = of(event, null, staleGraceMillis);
        return new Held(held.key, event, null, held.version, held.expiresAtMillis, held.staleAtMillis, unreadable);
    }

    // Saturating: the codec keeps instants in 2000..2100, but a grace is configuration, and a sum past
    // Long.MAX_VALUE would turn a fresh token stale.
    private static long saturatedSum(long a, long b) {
        long sum = a + b;
        // Overflow only when both have the same sign and the sum's sign differs from it.
        if (((a ^ sum) & (b ^ sum)) < 0) {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return sum;
    }

    static Held removed(TokenKey key, long lastVersion) {
        return new Held(key, null, null, lastVersion, Long.MIN_VALUE, Long.MIN_VALUE, null);
    }

    /** The same version in a new object: see {@link HeldTokens#compactOnceSettled()}. */
    Held copy() {
        return new Held(key, event, token, version, expiresAtMillis, staleAtMillis, unreadable);
    }

    /** This readable version, still served, with a newer one it cannot decrypt behind it. */
    Held withUnreadable(Unreadable newer) {
        return new Held(key, event, token, version, expiresAtMillis, staleAtMillis, newer);
    }

    /** The newest version seen for the key, readable or not: older and equal records are ignored. */
    long newestSeen() {
        return unreadable == null ? version : Math.max(version, unreadable.version());
    }

    boolean isRemoved() {
        return event == null;
    }

    TokenState state(long nowMillis) {
        if (isRemoved()) {
            return TokenState.ABSENT;
        }
        if (unreadable != null) {
            return TokenState.NO_KEY;
        }
        if (nowMillis >= expiresAtMillis) {
            return TokenState.EXPIRED;
        }
        return nowMillis >= staleAtMillis ? TokenState.STALE : TokenState.FRESH;
    }
}
