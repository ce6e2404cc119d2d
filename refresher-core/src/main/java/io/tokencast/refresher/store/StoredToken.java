package io.tokencast.refresher.store;

import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What Redis holds for one key.
 *
 * @param token the current version, or null when there is none (never written, or expired in Redis)
 * @param version the highest version ever written for the key, 0 if none; survives the token's expiry
 * @param retry the key's failure state, or null when its last attempt succeeded
 * @param untrusted Redis holds a record for the key that failed verification or decoding: it is not
 *     {@code token}, and recovery puts the topic's copy in its place before anything is fetched
 * @param signedBy the kid whose signature {@code token} carries in Redis; null when unsigned or unknown
 */
public record StoredToken(
        TokenKey key, TokenRefreshed token, long version, RetryState retry, boolean untrusted, String signedBy) {

    public StoredToken(TokenKey key, TokenRefreshed token, long version, RetryState retry) {
        this(key, token, version, retry, false, null);
    }

    public StoredToken(TokenKey key, TokenRefreshed token, long version, RetryState retry, boolean untrusted) {
        this(key, token, version, retry, untrusted, null);
    }

    public StoredToken {
        Objects.requireNonNull(key, "key");
        if (version < 0) {
            throw new IllegalArgumentException("version of " + key + " must be >= 0, was " + version);
        }
        if (untrusted && token != null) {
            throw new IllegalArgumentException("an untrusted record of " + key + " cannot be its current token");
        }
        if (token != null && token.version() > version) {
            throw new IllegalArgumentException(
                    "stored token of " + key + " has version " + token.version() + " above the key's " + version);
        }
    }

    public Optional<TokenRefreshed> current() {
        return Optional.ofNullable(token);
    }

    public Optional<RetryState> retryState() {
        return Optional.ofNullable(retry);
    }

    /** Whether the current token is still usable at {@code now}. */
    public boolean validAt(Instant now) {
        return token != null && token.expiresAt().isAfter(now);
    }

    /** Fingerprint of the current token, or null. */
    public String fingerprint() {
        return token == null ? null : token.fingerprint();
    }
}
