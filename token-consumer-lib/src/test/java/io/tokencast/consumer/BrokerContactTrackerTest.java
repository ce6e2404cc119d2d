package io.tokencast.consumer;

import static io.tokencast.consumer.Events.START;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tokencast.testkit.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Broker contact judged on the view's clock: checks every interval, lost only past the threshold, logged once. */
class BrokerContactTrackerTest {

    private static final Duration INTERVAL = Duration.ofSeconds(5);
    private static final Duration LOST_AFTER = Duration.ofSeconds(30);

    private final MutableClock clock = new MutableClock(START);
    private final BrokerContactTracker tracker =
            new BrokerContactTracker(clock, INTERVAL, LOST_AFTER, "tokencast.tokens", "kafka:9092");
    private final Logger logger = (Logger) LoggerFactory.getLogger(BrokerContactTracker.class);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void captureLogs() {
        logs.start();
        logger.addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        logger.detachAppender(logs);
    }

    @Test
    void checksAtStartThenOncePerInterval() {
        assertThat(tracker.checkDue()).isTrue();
        tracker.answered(OptionalLong.of(0));
        assertThat(tracker.checkDue()).isFalse();

        clock.advance(INTERVAL.minusMillis(1));
        assertThat(tracker.checkDue()).isFalse();

        clock.advance(Duration.ofMillis(1));
        assertThat(tracker.checkDue()).isTrue();
        tracker.unanswered(new TimeoutException("no answer"));
        assertThat(tracker.checkDue()).isFalse();
    }

    @Test
    void contactIsLostOnlyOnceUnansweredChecksOutlastTheThreshold() {
        // given a broker that answered with 3 records still to read, then went silent
        tracker.answered(OptionalLong.of(3));
        clock.advance(INTERVAL);
        tracker.unanswered(new TimeoutException("no answer"));

        // when the silence reaches the threshold, then contact is not lost yet
        clock.advance(LOST_AFTER.minus(INTERVAL));
        assertThat(tracker.current().lost()).isFalse();

        // when it passes it, then contact is lost, remembering the last contact and how far behind the view was
        clock.advance(Duration.ofSeconds(1));
        BrokerContact contact = tracker.current();
        assertThat(contact.lost()).isTrue();
        assertThat(contact.silentFor()).isEqualTo(LOST_AFTER.plusSeconds(1));
        assertThat(contact.lastContactAt()).contains(START);
        assertThat(contact.recordsBehind()).hasValue(3);
    }

    @Test
    void aClockMovedForwardIsNoLossWhileTheBrokerStillAnswers() {
        tracker.answered(OptionalLong.of(0));

        clock.advance(Duration.ofHours(2));

        assertThat(tracker.current().lost()).isFalse();
        assertThat(tracker.current().silentFor()).isEqualTo(Duration.ofHours(2));
        tracker.review();
        assertThat(logs.list).isEmpty();
    }

    @Test
    void aBrokerThatNeverAnsweredIsLostTheThresholdAfterStart() {
        tracker.unanswered(new TimeoutException("no answer"));
        clock.advance(LOST_AFTER.plusSeconds(1));

        BrokerContact contact = tracker.current();

        assertThat(contact.lost()).isTrue();
        assertThat(contact.lastContactAt()).isEmpty();
        assertThat(contact.silentFor()).isEqualTo(LOST_AFTER.plusSeconds(1));
        assertThat(contact.recordsBehind()).isEmpty();
    }

    @Test
    void logsOneWarningWhenContactIsLostAndOneInfoWhenItIsRegained() {
        // given a broker silent for 35 s, checked every 5 s and reviewed after every poll
        tracker.answered(OptionalLong.of(0));
        for (int i = 0; i < 12; i++) {
            clock.advance(INTERVAL);
            tracker.unanswered(new TimeoutException("Failed to get offsets by times in 5000ms"));
            tracker.review();
            tracker.review();
        }

        // when it answers again
        tracker.answered(OptionalLong.of(2));
        tracker.review();

        // then one WARN and one INFO, in key=value form
        List<ILoggingEvent> lines = logs.list;
        assertThat(lines).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN, Level.INFO);
        assertThat(lines.get(0).getFormattedMessage())
                .contains(
                        "event=broker-contact-lost",
                        "topic=tokencast.tokens",
                        "silentFor=PT35S",
                        "lastContactAt=" + START,
                        "Failed to get offsets by times",
                        "kafka:9092");
        assertThat(lines.get(1).getFormattedMessage())
                .contains("event=broker-contact-regained", "silentFor=PT1M", "recordsBehind=2");
        assertThat(tracker.current().lost()).isFalse();
        assertThat(tracker.current().lastContactAt()).contains(clock.instant());
    }

    @Test
    void eachCheckWaitsTheIntervalWithinOneToFiveSeconds() {
        assertThat(new BrokerContactTracker(clock, Duration.ofMillis(200), LOST_AFTER, "t", "k").checkTimeout())
                .isEqualTo(Duration.ofSeconds(1));
        assertThat(new BrokerContactTracker(clock, Duration.ofSeconds(3), LOST_AFTER, "t", "k").checkTimeout())
                .isEqualTo(Duration.ofSeconds(3));
        assertThat(new BrokerContactTracker(clock, Duration.ofMinutes(1), LOST_AFTER, "t", "k").checkTimeout())
                .isEqualTo(Duration.ofSeconds(5));
    }
}
