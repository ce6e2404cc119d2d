package io.tokencast.refresher.refresh;

import io.tokencast.refresher.store.StoredToken;
import io.tokencast.refresher.wechat.WeChatException;
import io.tokencast.schema.Ranges;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keys whose new version Redis refused after a fetch though no other writer got there first, remembered in this
 * replica's memory as well as in the key's retry state: whoever can write Redis can also delete a retry state,
 * and must still not make the refresher fetch every tick. Bounded by the number of configured keys.
 */
final class WriteFailures {

    /** The key's version is at 2^53-1 (or something wrote more into Redis): no version can follow it. */
    static final String VERSION_EXHAUSTED = "VERSION_EXHAUSTED";
    /** Redis refused the new version for a reason no other writer explains: its state is inconsistent. */
    static final String WRITE_REJECTED = "WRITE_REJECTED";

    private final ConcurrentHashMap<TokenKey, Instant> restingUntil = new ConcurrentHashMap<>();
    private final int capacity;
    private final Duration rest;

    WriteFailures(int capacity, Duration rest) {
        this.capacity = Math.max(1, capacity);
        this.rest = rest;
    }

    /**
     * Whether {@code winner}, read after a failed compare-and-set from {@code before}, shows a genuine newer
     * version by another writer: a higher version whose token is readable and carries that version.
     */
    static boolean anotherWriterWon(StoredToken before, StoredToken winner) {
        return winner.version() > before.version()
                && winner.token() != null
                && winner.token().version() == winner.version();
    }

    void rejected(TokenKey key, Instant now) {
        if (restingUntil.size() >= capacity) {
            restingUntil.values().removeIf(until -> !until.isAfter(now));
        }
        if (restingUntil.size() < capacity || restingUntil.containsKey(key)) {
            restingUntil.put(key, now.plus(rest));
        }
    }

    /** When the key may be fetched again, if it is resting at {@code now}. */
    Optional<Instant> quarantinedUntil(TokenKey key, Instant now) {
        Instant until = restingUntil.get(key);
        if (until == null) {
            return Optional.empty();
        }
        if (!until.isAfter(now)) {
            restingUntil.remove(key, until);
            return Optional.empty();
        }
        return Optional.of(until);
    }

    /** Why a key at the highest version is not fetched. */
    static WeChatException exhausted(StoredToken stored) {
        return new WeChatException(
                VERSION_EXHAUSTED,
                WeChatException.Retry.STOP,
                "version " + stored.version() + " of " + stored.key() + " is at or past the highest, "
                        + Ranges.MAX_VERSION + " (2^53-1): no newer version can be written. Retire the key and add it"
                        + " under a new account, or remove the forged version from Redis and the topic");
    }

    /** Why a fetched version was not stored: Redis refused it and no other writer explains it. */
    static WeChatException refused(TokenRefreshed attempted, StoredToken winner) {
        return new WeChatException(
                WRITE_REJECTED,
                WeChatException.Retry.STOP,
                "Redis refused version " + attempted.version() + " of " + attempted.tokenKey() + " after a fetch;"
                        + " it holds version " + winner.version() + " with "
                        + (winner.token() == null
                                ? "no readable token"
                                : "token version " + winner.token().version())
                        + ". Inspect the key's Redis entries");
    }

    /** Why a key resting after a refused write is not fetched. */
    static WeChatException resting(TokenKey key, Instant until) {
        return new WeChatException(
                WRITE_REJECTED,
                WeChatException.Retry.STOP,
                "Redis refused the last version of " + key + "; no fetch before " + until);
    }
}
