package io.tokencast.consumer;

import io.tokencast.schema.TokenKey;
import java.time.Instant;

/** The newest token for the key is past its expiry: the refresher has not published a newer one in time. */
public final class TokenExpiredException extends TokenUnavailableException {

    private final Instant expiresAt;

    TokenExpiredException(TokenKey key, Instant expiresAt, String message) {
        super(key, message);
        this.expiresAt = expiresAt;
    }

    /** When the held token expired. */
    public Instant expiresAt() {
        return expiresAt;
    }
}
