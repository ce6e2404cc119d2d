package io.tokencast.refresher.refresh;

import io.tokencast.refresher.config.CredentialCatalog;
import io.tokencast.refresher.leader.Leadership;
import io.tokencast.refresher.metrics.RefreshMetrics;
import io.tokencast.refresher.policy.FetchRateLimiter;
import io.tokencast.refresher.store.StoredToken;
import io.tokencast.refresher.store.TokenStore;
import io.tokencast.refresher.wechat.ManagedCredential;
import io.tokencast.schema.TokenKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The refresher's heartbeat: every {@code tokencast.refresh.tick} each replica renews or contends for
 * leadership and observes Redis for its gauges; the leader recovers when it has just become leader (or Redis
 * lost its data), then refreshes the due keys, as many per second as the rate limiter allows. The keys are
 * the catalog's, reloaded every tick on every replica: an authorizer registered on one replica is refreshed by
 * whichever leads. Ticks on a thread of its own between {@link #start()} and {@link #stop()}; refresher-service
 * ties those to the Spring context's lifecycle. Built with {@link #builder(Refresher)}.
 */
public final class RefreshScheduler {

    /**
     * Compares what Redis holds with what the tokens topic last showed and republishes where the topic went
     * behind (a replay, a lost publication); asked by the leader on every tick, after recovery.
     */
    @FunctionalInterface
    public interface ReplayCheck {

        ReplayCheck NONE = (observed, stillLeading) -> {};

        /**
         * @param observed what this tick read from Redis, by key
         * @param stillLeading asked before each publication
         */
        void check(Map<TokenKey, StoredToken> observed, BooleanSupplier stillLeading);
    }

    private static final Logger log = LoggerFactory.getLogger(RefreshScheduler.class);

    private final String instanceId;
    private final Duration tick;
    private final Leadership leadership;
    private final TokenStore store;
    private final CredentialCatalog catalog;
    private final Refresher refresher;
    private final Recovery recovery;
    private final ReplayCheck replay;
    private final Publication publication;
    private final FetchRateLimiter rateLimiter;
    private final RefreshMetrics metrics;
    private final Clock clock;
    private final TickFailures failures;
    private final Object ticking = new Object();
    private ScheduledExecutorService executor; // guarded by this
    private volatile ScheduledFuture<?> future;
    private boolean recoveryNeeded; // guarded by ticking
    // Keys whose Redis record failed verification and that recovery already tried to restore from the topic;
    // guarded by ticking. A key the topic could not restore is not retried every tick (a whole topic read each).
    private final Set<TokenKey> untrustedSeen = new HashSet<>();

    RefreshScheduler(
            String instanceId,
            Duration tick,
            Leadership leadership,
            TokenStore store,
            CredentialCatalog catalog,
            Refresher refresher,
            Recovery recovery,
            ReplayCheck replay,
            Publication publication,
            FetchRateLimiter rateLimiter,
            RefreshMetrics metrics,
            Clock clock) {
        this.instanceId = instanceId;
        this.tick = tick;
        this.leadership = leadership;
        this.store = store;
        this.catalog = catalog;
        this.refresher = refresher;
        this.recovery = recovery;
        this.replay = replay;
        this.publication = publication;
        this.rateLimiter = rateLimiter;
        this.metrics = metrics;
        this.clock = clock;
        this.failures = new TickFailures(clock, metrics);
    }

    /**
     * The way to build one: a builder around the refresher it ticks, sharing that refresher's catalog, store,
     * locks, publication, meters, clock and instance id.
     */
    public static RefreshSchedulerBuilder builder(Refresher refresher) {
        return Objects.requireNonNull(refresher, "refresher").schedulerBuilder();
    }

    /** Starts ticking every {@code tick}, the first tick at once, on a thread named after this replica. */
    public synchronized void start() {
        AtomicInteger threads = new AtomicInteger();
        executor = Executors.newSingleThreadScheduledExecutor(
                r -> new Thread(r, "tokencast-tick-" + instanceId + "-" + threads.incrementAndGet()));
        synchronized (ticking) {
            // The first tick waits here until it can see that the scheduler runs.
            future = executor.scheduleWithFixedDelay(this::tickSafely, 0, tick.toNanos(), TimeUnit.NANOSECONDS);
        }
        log.info(
                "refresh scheduler started tick={} keys={}", tick, catalog.all().size());
    }

    /** Stops ticking: waits for a tick in progress, then releases leadership. */
    public synchronized void stop() {
        ScheduledFuture<?> running = future;
        if (running != null) {
            running.cancel(false);
        }
        synchronized (ticking) {
            // Waits for a tick in progress, so the lock is released after its last write.
            future = null;
            leadership.release();
        }
        if (executor != null) {
            executor.shutdown();
            executor = null;
        }
        log.info("refresh scheduler stopped");
    }

    public boolean isRunning() {
        return future != null;
    }

    private void tickSafely() {
        try {
            tick();
            failures.succeeded();
        } catch (RuntimeException e) {
            // Redis or Kafka trouble: the next tick tries again; the health indicator reports it meanwhile.
            failures.failed(e);
        } catch (Error e) {
            // An error must not end the ticking for good, which would leave every key to expire unnoticed.
            log.error("tick failed unexpectedly action=retry-next-tick", e);
        }
    }

    /** One tick; package-private so tests can drive it without waiting for the scheduler. */
    void tick() {
        synchronized (ticking) {
            if (future == null) {
                return;
            }
            Leadership.Status status = leadership.renew();
            List<TokenKey> keys = keys();
            Map<TokenKey, StoredToken> observed = store.readAll(keys);
            observed.values().forEach(metrics::observe);
            publication.retryPending();
            if (status == Leadership.Status.FOLLOWER) {
                recoveryNeeded = false;
                untrustedSeen.clear();
                return;
            }
            if (status == Leadership.Status.ACQUIRED) {
                recoveryNeeded = true;
            }
            Set<TokenKey> untrusted = new HashSet<>();
            observed.values().stream().filter(StoredToken::untrusted).forEach(s -> untrusted.add(s.key()));
            untrustedSeen.retainAll(untrusted);
            if (!untrustedSeen.containsAll(untrusted)) {
                // A record in Redis failed verification: the topic's verified copy replaces it, no WeChat call.
                log.warn("untrusted records in redis keys={} action=recover-from-topic", untrusted);
                recoveryNeeded = true;
            }
            if (recoveryNeeded || !store.isRecovered()) {
                recoveryNeeded = !recovery.run(this::stillLeading);
                if (recoveryNeeded) {
                    return;
                }
                untrustedSeen.addAll(untrusted);
            }
            replay.check(observed, this::stillLeading);
            refreshDue(store.readAll(keys));
        }
    }

    private void refreshDue(Map<TokenKey, StoredToken> states) {
        Instant now = clock.instant();
        // A record that turned untrusted since this tick's recovery waits for the next one, which may restore it
        // from the topic: fetching now would cost a WeChat call the topic could answer.
        List<StoredToken> candidates = states.values().stream()
                .filter(s -> !s.untrusted() || untrustedSeen.contains(s.key()))
                .toList();
        List<Planner.Due> due = Planner.due(candidates, now);
        for (Planner.Due key : due) {
            // A long tick can outlive the lock; a replica that lost it must not keep refreshing meanwhile.
            if (!stillLeading()) {
                return;
            }
            if (!rateLimiter.tryAcquire(now)) {
                log.debug("fetch rate reached due={} action=wait-next-tick", due.size());
                return;
            }
            refresher.refresh(key.key(), key.reason(), null);
        }
    }

    /** The catalog's keys after a reload; the previous ones when the registry cannot be read now. */
    private List<TokenKey> keys() {
        try {
            catalog.reload();
        } catch (RuntimeException e) {
            // Configured keys must not wait for the registry (Redis or the credentials topic) to come back.
            log.warn("catalog not reloaded action=keep-previous-keys error={}", e.toString());
        }
        return catalog.all().stream().map(ManagedCredential::key).toList();
    }

    /** Renews the lock; a lock lost and taken again in between needs a fresh recovery. */
    private boolean stillLeading() {
        Leadership.Status status = leadership.renew();
        if (status == Leadership.Status.ACQUIRED) {
            recoveryNeeded = true;
        }
        return status == Leadership.Status.HELD;
    }
}
