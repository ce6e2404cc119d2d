package io.tokencast.refresher.wechat;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What WeChat answered: the token and how long it lives from {@code fetchedAt}. {@link #toString()} never
 * prints the token.
 */
public record FetchedToken(String token, Duration expiresIn, Instant fetchedAt) {

    public FetchedToken {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(expiresIn, "expiresIn");
        Objects.requireNonNull(fetchedAt, "fetchedAt");
        if (expiresIn.isNegative() || expiresIn.isZero()) {
            throw new IllegalArgumentException("expiresIn must be positive, was " + expiresIn);
        }
    }

    public Instant expiresAt() {
        return fetchedAt.plus(expiresIn);
    }

    @Override
    public String toString() {
        return "FetchedToken[expiresIn=" + expiresIn + ", fetchedAt=" + fetchedAt + ", token=<redacted>]";
    }
}
