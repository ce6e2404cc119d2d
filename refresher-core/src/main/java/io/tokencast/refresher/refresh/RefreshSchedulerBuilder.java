package io.tokencast.refresher.refresh;

import io.tokencast.refresher.config.CredentialCatalog;
import io.tokencast.refresher.leader.KeyLocks;
import io.tokencast.refresher.leader.Leadership;
import io.tokencast.refresher.metrics.RefreshMetrics;
import io.tokencast.refresher.policy.FetchRateLimiter;
import io.tokencast.refresher.publish.TokenTopic;
import io.tokencast.refresher.store.TokenStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Builds a {@link RefreshScheduler} around a {@link Refresher}, without Spring: {@code
 * RefreshScheduler.builder(refresher).leadership(...).topic(...).rateLimiter(...).build()}. The catalog, store,
 * locks, publication, meters, clock and instance id are the refresher's; leadership, the tokens topic (read by
 * recovery) and the fetch rate limiter are required; the tick (1 s) and the replay check (none) have defaults.
 */
public final class RefreshSchedulerBuilder {

    private final Refresher refresher;
    private final CredentialCatalog catalog;
    private final TokenStore store;
    private final KeyLocks locks;
    private final Publication publication;
    private final RefreshMetrics metrics;
    private final Clock clock;
    private final String instanceId;
    private Leadership leadership;
    private TokenTopic topic;
    private FetchRateLimiter rateLimiter;
    private Duration tick = Duration.ofSeconds(1);
    private RefreshScheduler.ReplayCheck replay = RefreshScheduler.ReplayCheck.NONE;

    RefreshSchedulerBuilder(
            Refresher refresher,
            CredentialCatalog catalog,
            TokenStore store,
            KeyLocks locks,
            Publication publication,
            RefreshMetrics metrics,
            Clock clock,
            String instanceId) {
        this.refresher = refresher;
        this.catalog = catalog;
        this.store = store;
        this.locks = locks;
        this.publication = publication;
        this.metrics = metrics;
        this.clock = clock;
        this.instanceId = instanceId;
    }

    /** Which replica leads; only the leader recovers and refreshes. */
    public RefreshSchedulerBuilder leadership(Leadership leadership) {
        this.leadership = Objects.requireNonNull(leadership, "leadership");
        return this;
    }

    /** The tokens topic, which recovery reads to make Redis and the topic agree. */
    public RefreshSchedulerBuilder topic(TokenTopic topic) {
        this.topic = Objects.requireNonNull(topic, "topic");
        return this;
    }

    /** How many keys may be fetched per second across a tick. */
    public RefreshSchedulerBuilder rateLimiter(FetchRateLimiter rateLimiter) {
        this.rateLimiter = Objects.requireNonNull(rateLimiter, "rateLimiter");
        return this;
    }

    /** How often each replica ticks ({@code tokencast.refresh.tick}). */
    public RefreshSchedulerBuilder tick(Duration tick) {
        Objects.requireNonNull(tick, "tick");
        if (tick.isNegative() || tick.isZero()) {
            throw new IllegalArgumentException("tick must be positive, was " + tick);
        }
        this.tick = tick;
        return this;
    }

    /** What the leader checks on every tick after recovery, e.g. that the topic's last records need nothing. */
    public RefreshSchedulerBuilder replay(RefreshScheduler.ReplayCheck replay) {
        this.replay = Objects.requireNonNull(replay, "replay");
        return this;
    }

    /**
     * @throws IllegalStateException naming the first required part that was not given
     */
    public RefreshScheduler build() {
        required(leadership, "leadership");
        required(topic, "topic");
        required(rateLimiter, "rateLimiter");
        Recovery recovery = new Recovery(catalog, store, topic, locks, publication, instanceId);
        return new RefreshScheduler(
                instanceId,
                tick,
                leadership,
                store,
                catalog,
                refresher,
                recovery,
                replay,
                publication,
                rateLimiter,
                metrics,
                clock);
    }

    private static void required(Object part, String name) {
        if (part == null) {
            throw new IllegalStateException(
                    "RefreshScheduler.builder(refresher) needs " + name + "; set it before build()");
        }
    }
}
