package io.tokencast.refresher.wechat;

import io.tokencast.schema.Fingerprint;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What WeChat answered: the token and how long it lives from {@code fetchedAt}, with the token's fingerprint,
 * hashed once here and passed along the write (the version, its log line, its audit record). {@link
 * #toString()} never prints the token.
 */
public final class FetchedToken {

    private final String token;
    private final Duration expiresIn;
    private final Instant fetchedAt;
    private final String fingerprint;

    public FetchedToken(String token, Duration expiresIn, Instant fetchedAt) {
        this.token = Objects.requireNonNull(token, "token");
        this.expiresIn = Objects.requireNonNull(expiresIn, "expiresIn");
        this.fetchedAt = Objects.requireNonNull(fetchedAt, "fetchedAt");
        if (expiresIn.isNegative() || expiresIn.isZero()) {
            throw new IllegalArgumentException("expiresIn must be positive, was " + expiresIn);
        }
        this.fingerprint = Fingerprint.of(token);
    }

    public String token() {
        return token;
    }

    public Duration expiresIn() {
        return expiresIn;
    }

    public Instant fetchedAt() {
        return fetchedAt;
    }

    /** The token's {@link Fingerprint}, computed once when WeChat's answer was read. */
    public String fingerprint() {
        return fingerprint;
    }

    public Instant expiresAt() {
        return fetchedAt.plus(expiresIn);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FetchedToken that
                && token.equals(that.token)
                && expiresIn.equals(that.expiresIn)
                && fetchedAt.equals(that.fetchedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(token, expiresIn, fetchedAt);
    }

    @Override
    public String toString() {
        return "FetchedToken[expiresIn=" + expiresIn + ", fetchedAt=" + fetchedAt + ", fingerprint=" + fingerprint
                + ", token=<redacted>]";
    }
}
