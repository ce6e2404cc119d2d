package io.tokencast.refresher.refresh;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.lettuce.core.RedisException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tokencast.refresher.metrics.RefreshMetrics;
import io.tokencast.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.RedisSystemException;

/** A Redis outage of many ticks is a few log lines with the real cause, and every failed tick is counted. */
class TickFailuresTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T08:00:00Z"));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final TickFailures failures = new TickFailures(clock, new RefreshMetrics(registry, clock));
    private final Logger logger = (Logger) LoggerFactory.getLogger(TickFailures.class);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    @BeforeEach
    void capture() {
        appender.start();
        logger.addAppender(appender);
    }

    @AfterEach
    void release() {
        logger.detachAppender(appender);
    }

    @Test
    void aRunOfFailedTicksIsOneWarningWithTheRootCauseAndOneRecoveryLine() {
        for (int i = 0; i < 30; i++) {
            failures.failed(redisDown());
            clock.advance(Duration.ofSeconds(1));
        }
        failures.succeeded();
        failures.succeeded();

        assertThat(lines(Level.WARN))
                .singleElement()
                .asString()
                .startsWith("ticks failing error=RedisSystemException caused by io.lettuce.core.RedisException:"
                        + " Currently not connected. Commands are rejected.");
        assertThat(lines(Level.INFO))
                .containsExactly("ticks succeeding again failedTicks=30 since=2026-03-01T08:00:00Z");
        assertThat(registry.get("tokencast.refresh.tick.failures").counter().count())
                .isEqualTo(30);
    }

    @Test
    void aLongOutageIsRemindedOncePerMinute() {
        for (int i = 0; i < 150; i++) {
            failures.failed(redisDown());
            clock.advance(Duration.ofSeconds(1));
        }

        assertThat(lines(Level.WARN)).hasSize(3);
        assertThat(lines(Level.WARN).get(1))
                .startsWith("ticks still failing failedTicks=61 since=2026-03-01T08:00:00Z");
    }

    @Test
    void aNewOutageAfterARecoveryIsReportedAgain() {
        failures.failed(redisDown());
        failures.succeeded();
        failures.failed(new IllegalStateException("kafka gone"));

        assertThat(lines(Level.WARN))
                .hasSize(2)
                .last()
                .asString()
                .startsWith("ticks failing error=java.lang.IllegalStateException: kafka gone");
    }

    @Test
    void successWithoutFailuresSaysNothing() {
        failures.succeeded();

        assertThat(appender.list).isEmpty();
    }

    private static RuntimeException redisDown() {
        return new RedisSystemException(
                "Redis exception", new RedisException("Currently not connected. Commands are rejected."));
    }

    private List<String> lines(Level level) {
        return appender.list.stream()
                .filter(e -> e.getLevel() == level)
                .map(ILoggingEvent::getFormattedMessage)
                .toList();
    }
}
