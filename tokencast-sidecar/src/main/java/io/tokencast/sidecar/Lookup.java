package io.tokencast.sidecar;

import io.tokencast.consumer.Token;
import io.tokencast.consumer.TokenState;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** What the sidecar can say about one key right now: a token to serve, or why there is none. */
sealed interface Lookup {

    /** WeChat's overlap: a classic token stays valid this long after its successor is fetched. */
    Duration OVERLAP = Duration.ofSeconds(300);
    /** Kept back from {@code expires_in}, so an SDK's cache never outlives the token on a slow network. */
    Duration MARGIN = Duration.ofSeconds(60);

    /**
     * A servable token with the refresher's plan for it.
     *
     * @param nextRefreshAt when the refresher plans the next version
     */
    record Served(Token token, Instant nextRefreshAt, TokenState state) implements Lookup {

        public Served {
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(nextRefreshAt, "nextRefreshAt");
            Objects.requireNonNull(state, "state");
        }

        /**
         * Seconds the token is still safe to use: {@code min(expiresAt, nextRefreshAt + 300 s) - now - 60 s},
         * at least 0 (docs/design.md §5.6). Not the raw time left, because a classic token dies 5 minutes after its successor is
         * fetched and SDKs cache a token for exactly the {@code expires_in} they were given.
         */
        long expiresIn(Instant now) {
            return secondsLeft(safeUntil(), now);
        }

        /** {@code min(expiresAt, nextRefreshAt + 300 s)}: past it, a classic token may already be dead. */
        Instant safeUntil() {
            Instant safeUntil = nextRefreshAt.plus(OVERLAP);
            return token.expiresAt().isBefore(safeUntil) ? token.expiresAt() : safeUntil;
        }

        /** {@code safeUntil - now - 60 s} in whole seconds, at least 0; allocates nothing. */
        static long secondsLeft(Instant safeUntil, Instant now) {
            long seconds = safeUntil.getEpochSecond() - now.getEpochSecond();
            if (seconds > 1_000_000_000L || seconds < -1_000_000_000L) {
                // Decades either way (a forged expiry, say): nanoseconds would overflow, and a second is no matter.
                return Math.max(0, seconds - MARGIN.toSeconds());
            }
            long nanos = seconds * 1_000_000_000L + (safeUntil.getNano() - now.getNano()) - MARGIN.toNanos();
            // As Duration.toMillis would: whole milliseconds towards the past, then whole seconds.
            long millis = Math.floorDiv(nanos, 1_000_000L);
            return millis <= 0 ? 0 : millis / 1000;
        }

        /** Changes whenever the representation does: a new version, or FRESH turning STALE. */
        String etag() {
            return "\"v" + token.version() + "-" + state.name().toLowerCase(java.util.Locale.ROOT) + "\"";
        }
    }

    /** No token can be served; {@code reason} names the key and the cause, never a secret. */
    record Unservable(Why why, String reason) implements Lookup {}

    /** Why a key cannot be served. */
    enum Why {
        /** The view has not read the topic to its end yet: nothing is served until it has. */
        NOT_READY,
        /** No token was ever published for the key. */
        UNKNOWN,
        /** The key was removed by the refresher. */
        REMOVED,
        /** The newest token has expired and no newer one arrived. */
        EXPIRED,
        /** Encrypted under a key this sidecar does not hold: outside its keyring's scopes, or a kid it lacks. */
        NO_KEY,
        /** Held, but this sidecar cannot serve it for another reason. */
        UNAVAILABLE
    }
}
