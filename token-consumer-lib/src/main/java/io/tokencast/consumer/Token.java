package io.tokencast.consumer;

import io.tokencast.schema.Fingerprint;
import io.tokencast.schema.TokenKey;
import java.time.Instant;
import java.util.Objects;

/**
 * One version of a credential as a service uses it: pass {@link #value()} to WeChat. {@link #toString()}
 * never prints the value, so a token can be logged safely.
 *
 * @param version strictly increasing per key; a newer version replaces an older one
 * @param fingerprint {@code sha256:} + 16 hex digits: how logs, metrics and reports name this token
 */
public record Token(TokenKey key, String value, long version, String fingerprint, Instant issuedAt, Instant expiresAt) {

    public Token {
        Objects.requireNonNull(key, "key");
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("token " + key + " has a blank value");
        }
        if (version < 1) {
            throw new IllegalArgumentException("token " + key + " has version " + version + "; versions start at 1");
        }
        if (!Fingerprint.isFingerprint(fingerprint)) {
            throw new IllegalArgumentException("token " + key + " needs a fingerprint like sha256:<16 hex digits>");
        }
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** A token whose fingerprint is computed from its value. */
    public static Token of(TokenKey key, String value, long version, Instant issuedAt, Instant expiresAt) {
        return new Token(key, value, version, Fingerprint.of(value), issuedAt, expiresAt);
    }

    /** Whether the token is expired at {@code instant} (expiry is exclusive: at {@code expiresAt} it is dead). */
    public boolean isExpiredAt(Instant instant) {
        return !instant.isBefore(expiresAt);
    }

    @Override
    public String toString() {
        return "Token[key=" + key + ", version=" + version + ", fingerprint=" + fingerprint + ", issuedAt=" + issuedAt
                + ", expiresAt=" + expiresAt + ", value=<redacted>]";
    }
}
