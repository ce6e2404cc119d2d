package io.tokencast.consumer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a view's {@link BrokerContact}: the reader thread asks the broker whenever {@link #checkDue()} and
 * reports the outcome here; any thread reads {@link #current()}. Logs one WARN when contact is lost and one INFO
 * when it is regained, never a line per check. Time is the view's clock only.
 */
final class BrokerContactTracker {

    private static final Logger log = LoggerFactory.getLogger(BrokerContactTracker.class);

    private static final Duration MIN_CHECK_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration MAX_CHECK_TIMEOUT = Duration.ofSeconds(5);

    private final Clock clock;
    private final Duration checkInterval;
    private final Duration lostAfter;
    private final String topic;
    private final String bootstrapServers;
    private final Instant startedAt;
    private volatile Checks checks = new Checks(Optional.empty(), OptionalLong.empty(), false);

    // Reader thread only.
    private Instant nextCheckAt;
    private boolean lostLogged;
    private String lastFailure = "none";

    BrokerContactTracker(
            Clock clock, Duration checkInterval, Duration lostAfter, String topic, String bootstrapServers) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.checkInterval = Objects.requireNonNull(checkInterval, "checkInterval");
        this.lostAfter = Objects.requireNonNull(lostAfter, "lostAfter");
        this.topic = topic;
        this.bootstrapServers = bootstrapServers;
        this.startedAt = clock.instant();
        this.nextCheckAt = startedAt;
    }

    /** Whether the reader should ask the broker now: at start, then once per check interval. */
    boolean checkDue() {
        return !clock.instant().isBefore(nextCheckAt);
    }

    /**
     * How long one check may wait for the broker: the interval, within 1 to 5 s, so a silent broker holds the
     * reader thread briefly and a slow answer is not mistaken for silence.
     */
    Duration checkTimeout() {
        if (checkInterval.compareTo(MIN_CHECK_TIMEOUT) < 0) {
            return MIN_CHECK_TIMEOUT;
        }
        return checkInterval.compareTo(MAX_CHECK_TIMEOUT) > 0 ? MAX_CHECK_TIMEOUT : checkInterval;
    }

    /** The broker answered a check; {@code recordsBehind} is what the view still has to read, when known. */
    void answered(OptionalLong recordsBehind) {
        Instant now = clock.instant();
        Duration silence = silence(checks, now);
        checks = new Checks(Optional.of(now), recordsBehind, false);
        nextCheckAt = now.plus(checkInterval);
        if (lostLogged) {
            lostLogged = false;
            log.info(
                    "token view in contact with the broker again event=broker-contact-regained topic={} silentFor={}"
                            + " recordsBehind={}",
                    topic,
                    silence.truncatedTo(ChronoUnit.SECONDS),
                    recordsBehind.isPresent() ? recordsBehind.getAsLong() : "unknown");
        }
    }

    /** A check went unanswered (timed out or failed); {@code cause} says how, for the log. */
    void unanswered(RuntimeException cause) {
        Checks last = checks;
        checks = new Checks(last.lastContactAt(), last.recordsBehind(), true);
        nextCheckAt = clock.instant().plus(checkInterval);
        lastFailure = cause.toString();
    }

    /** Logs the loss of contact once, as soon as the silence has grown past the threshold. */
    void review() {
        BrokerContact contact = current();
        if (contact.lost() && !lostLogged) {
            lostLogged = true;
            log.warn(
                    "token view lost contact with the broker event=broker-contact-lost topic={} silentFor={}"
                            + " lastContactAt={} cause={}; still serving held tokens until they expire, but newer"
                            + " versions cannot arrive. Check that Kafka at {} is up and reachable",
                    topic,
                    contact.silentFor().truncatedTo(ChronoUnit.SECONDS),
                    contact.lastContactAt().map(Instant::toString).orElse("never"),
                    lastFailure,
                    bootstrapServers);
        }
    }

    /** The contact as of now; any thread. */
    BrokerContact current() {
        Checks last = checks;
        Duration silence = silence(last, clock.instant());
        // A silence alone could be a clock moved forward; lost also needs the broker to have missed a check.
        boolean lost = last.unanswered() && silence.compareTo(lostAfter) > 0;
        return new BrokerContact(last.lastContactAt(), silence, lost, last.recordsBehind());
    }

    private Duration silence(Checks last, Instant now) {
        Duration silence = Duration.between(last.lastContactAt().orElse(startedAt), now);
        return silence.isNegative() ? Duration.ZERO : silence;
    }

    /** The outcome of the checks so far, published to readers as one immutable value. */
    private record Checks(Optional<Instant> lastContactAt, OptionalLong recordsBehind, boolean unanswered) {}
}
