package io.tokencast.refresher.refresh;

import io.tokencast.refresher.metrics.RefreshMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a run of failing ticks (Redis or Kafka unreachable) into a few log lines instead of one per tick: a
 * WARN with the root cause when ticks start failing, a reminder every {@link #REMINDER} while they go on,
 * and an INFO with the count when a tick succeeds again. Every failed tick is counted in the metrics.
 * Called from the tick thread only.
 */
final class TickFailures {

    private static final Logger log = LoggerFactory.getLogger(TickFailures.class);

    static final Duration REMINDER = Duration.ofMinutes(1);

    private final Clock clock;
    private final RefreshMetrics metrics;
    private long failed;
    private Instant since;
    private Instant remindAt;

    TickFailures(Clock clock, RefreshMetrics metrics) {
        this.clock = clock;
        this.metrics = metrics;
    }

    void failed(RuntimeException error) {
        metrics.tickFailed();
        Instant now = clock.instant();
        failed++;
        if (failed == 1) {
            since = now;
            remindAt = now.plus(REMINDER);
            log.warn(
                    "ticks failing error={} action=retry-every-tick; the health page names what is down, further"
                            + " failures are counted in tokencast.refresh.tick.failures",
                    rootCause(error));
        } else if (!now.isBefore(remindAt)) {
            remindAt = now.plus(REMINDER);
            log.warn("ticks still failing failedTicks={} since={} error={}", failed, since, rootCause(error));
        } else {
            log.debug("tick failed failedTicks={} error={}", failed, rootCause(error));
        }
    }

    void succeeded() {
        if (failed == 0) {
            return;
        }
        log.info("ticks succeeding again failedTicks={} since={}", failed, since);
        failed = 0;
        since = null;
    }

    /** Spring wraps the client's exception ("Redis exception"); the innermost one says what happened. */
    private static String rootCause(RuntimeException error) {
        Throwable cause = innermost(error);
        return cause == error ? error.toString() : error.getClass().getSimpleName() + " caused by " + cause;
    }

    private static Throwable innermost(Throwable error) {
        Throwable innermost = error;
        while (innermost.getCause() != null && innermost.getCause() != innermost) {
            innermost = innermost.getCause();
        }
        return innermost;
    }
}
