package io.tokencast.refresher.policy;

import java.time.Instant;
import java.util.Objects;

/**
 * Lets at most {@code maxPerSecond} WeChat fetches start in any wall-clock second, so a fleet of apps due
 * at once (a cold start, the end of a quota day) is spread over seconds instead of hitting WeChat's
 * per-minute limits. Time is passed in; thread-safe.
 */
public final class FetchRateLimiter {

    private final int maxPerSecond;
    private long second = Long.MIN_VALUE;
    private int started;

    public FetchRateLimiter(int maxPerSecond) {
        if (maxPerSecond < 1) {
            throw new IllegalArgumentException("maxPerSecond must be at least 1, was " + maxPerSecond);
        }
        this.maxPerSecond = maxPerSecond;
    }

    /** Takes one fetch start in the second of {@code now}; false when that second is full. */
    public synchronized boolean tryAcquire(Instant now) {
        long current = Objects.requireNonNull(now, "now").getEpochSecond();
        // Any other second starts afresh, also an earlier one: a clock set back must not starve fetches.
        if (current != second) {
            second = current;
            started = 0;
        }
        if (started >= maxPerSecond) {
            return false;
        }
        started++;
        return true;
    }

    public int maxPerSecond() {
        return maxPerSecond;
    }
}
