package io.tokencast.consumer;

import io.tokencast.schema.RefreshReason;
import io.tokencast.schema.RefreshRequested;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A {@link TokenView} fed by hand, for the unit tests of services that embed tokencast: no Kafka, the same
 * exceptions, states and listeners as the real view. Ready from the start unless {@link #notReady()} is
 * called; in contact with its imaginary broker unless {@link #brokerDown()} is. Thread-safe.
 *
 * <pre>{@code
 * FakeTokenView tokens = new FakeTokenView(clock);
 * tokens.put(key, "token-1");
 * tokens.onReport(report -> tokens.put(key, "token-2")); // play the refresher
 * }</pre>
 */
public final class FakeTokenView extends TableView {

    /** Lifetime of tokens put without an expiry: a WeChat access token's two hours. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofHours(2);

    private final List<RefreshRequested> reports = new CopyOnWriteArrayList<>();
    private volatile Consumer<RefreshRequested> onReport = report -> {};
    private volatile Duration refreshTimeout = Duration.ofSeconds(1);
    // When the imaginary broker stopped answering; null while it answers.
    private volatile Instant brokerSilentSince;

    /** A ready, empty view on the system clock. */
    public FakeTokenView() {
        this(Clock.systemUTC());
    }

    /** A ready, empty view judging expiry by {@code clock}, with the default stale grace of two minutes. */
    public FakeTokenView(Clock clock) {
        this(clock, Duration.ofMinutes(2));
    }

    public FakeTokenView(Clock clock, Duration staleGrace) {
        super(new TokenTable(clock, staleGrace, "FakeTokenView"));
        table.markReady();
    }

    /**
     * Puts the next version of {@code key}: issued now, expiring in {@link #DEFAULT_LIFETIME}, refresh planned
     * at three quarters of it.
     */
    public Token put(TokenKey key, String value) {
        Instant now = table.now();
        return put(key, value, now.plus(DEFAULT_LIFETIME));
    }

    /** Puts the next version of {@code key}, issued now and expiring at {@code expiresAt}. */
    public synchronized Token put(TokenKey key, String value, Instant expiresAt) {
        Instant now = table.now();
        Instant nextRefresh =
                now.plus(Duration.between(now, expiresAt).multipliedBy(3).dividedBy(4));
        TokenRefreshed event = TokenRefreshed.of(
                key,
                table.heldVersion(key) + 1,
                value,
                now,
                expiresAt,
                nextRefresh,
                RefreshReason.SCHEDULED,
                "fake-token-view",
                null);
        table.apply(event);
        return Held.of(event, 0).token();
    }

    /** Applies an event as the real view would: ignored unless its version is newer than the held one. */
    public synchronized boolean put(TokenRefreshed event) {
        return table.apply(Objects.requireNonNull(event, "event"));
    }

    /** Removes the key, as a tombstone would: {@link #token} then throws {@link TokenRemovedException}. */
    public synchronized void remove(TokenKey key) {
        table.remove(key);
    }

    /** Makes the view not ready: {@link #token} throws {@link TokenNotReadyException} until {@link #ready()}. */
    public FakeTokenView notReady() {
        table.markNotReady();
        return this;
    }

    /** Makes the view ready again. */
    public FakeTokenView ready() {
        table.markReady();
        return this;
    }

    /**
     * Stops the imaginary broker answering from now on: {@link #brokerContact()} reports the silence growing
     * with the clock, and contact lost once it passes {@link TokenView.Builder#DEFAULT_BROKER_CONTACT_LOST_AFTER},
     * as the real view does. Tokens are still served. Does nothing while the broker is already down.
     */
    public synchronized FakeTokenView brokerDown() {
        if (brokerSilentSince == null) {
            brokerSilentSince = table.now();
        }
        return this;
    }

    /** Lets the imaginary broker answer again: contact is current, and no longer lost. */
    public FakeTokenView brokerUp() {
        brokerSilentSince = null;
        return this;
    }

    /**
     * Contact as a real view would report it: current while the broker is up (nothing behind), else silent
     * since {@link #brokerDown()}.
     */
    @Override
    public BrokerContact brokerContact() {
        Instant silentSince = brokerSilentSince;
        Instant now = table.now();
        if (silentSince == null) {
            return new BrokerContact(Optional.of(now), Duration.ZERO, false, OptionalLong.of(0));
        }
        Duration silence = Duration.between(silentSince, now);
        silence = silence.isNegative() ? Duration.ZERO : silence;
        boolean lost = silence.compareTo(TokenView.Builder.DEFAULT_BROKER_CONTACT_LOST_AFTER) > 0;
        return new BrokerContact(Optional.of(silentSince), silence, lost, OptionalLong.of(0));
    }

    /** Runs {@code action} on every invalid-token report, e.g. to put the next version as the refresher would. */
    public FakeTokenView onReport(Consumer<RefreshRequested> action) {
        this.onReport = Objects.requireNonNull(action, "action");
        return this;
    }

    /** How long {@link #withToken} waits for the next version after a report; default one second. */
    public FakeTokenView refreshTimeout(Duration timeout) {
        this.refreshTimeout = Objects.requireNonNull(timeout, "timeout");
        return this;
    }

    @Override
    Duration refreshTimeout() {
        return refreshTimeout;
    }

    /** The invalid-token reports made so far, oldest first. */
    public List<RefreshRequested> reports() {
        return List.copyOf(reports);
    }

    @Override
    public FakeTokenView start() {
        return this;
    }

    @Override
    public void awaitReady(Duration timeout) {
        table.awaitReady(timeout, "A FakeTokenView is ready unless the test made it not ready.");
    }

    @Override
    public CompletableFuture<Token> reportInvalid(Token token, int errcode) {
        CompletableFuture<Token> next = table.nextVersion(token);
        if (next.isDone()) {
            return next;
        }
        RefreshRequested report =
                RefreshRequested.invalidReported(token.key(), token.fingerprint(), "fake-token-view", table.now());
        reports.add(report);
        onReport.accept(report);
        return next;
    }

    @Override
    public void close() {}
}
