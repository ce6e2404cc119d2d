package io.tokencast.consumer;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How recently the Kafka broker answered a view, so a service can tell current tokens from tokens that may
 * have been superseded: while contact is lost the view keeps serving what it holds until it expires, but it
 * cannot receive newer versions. Judged against the view's clock.
 *
 * @param lastContactAt when the broker last answered the view's periodic check; empty until it first does
 * @param silentFor how long the broker has been silent: since {@code lastContactAt}, or since the view started
 *     while it never answered; never negative
 * @param lost whether the broker has been silent for longer than the view's threshold
 *     ({@link TokenView.Builder#brokerContactLostAfter}) and its latest check went unanswered too
 * @param recordsBehind offsets between what the view has read and the end of the topic, as of the last
 *     contact; empty until known
 */
public record BrokerContact(
        Optional<Instant> lastContactAt, Duration silentFor, boolean lost, OptionalLong recordsBehind) {

    public BrokerContact {
        Objects.requireNonNull(lastContactAt, "lastContactAt");
        Objects.requireNonNull(recordsBehind, "recordsBehind");
        if (silentFor == null || silentFor.isNegative()) {
            throw new IllegalArgumentException("silentFor must be zero or positive, was " + silentFor);
        }
        if (recordsBehind.isPresent() && recordsBehind.getAsLong() < 0) {
            throw new IllegalArgumentException("recordsBehind must be zero or positive, was " + recordsBehind);
        }
    }

    /** A view that has not started asking: no contact yet, and none missed. */
    static BrokerContact notStarted() {
        return new BrokerContact(Optional.empty(), Duration.ZERO, false, OptionalLong.empty());
    }
}
