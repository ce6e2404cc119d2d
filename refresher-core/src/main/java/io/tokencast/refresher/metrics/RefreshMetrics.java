package io.tokencast.refresher.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tokencast.refresher.store.StoredToken;
import io.tokencast.schema.TokenKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The refresher's Micrometer meters. Tags carry token keys and kinds, never a token or secret:
 * <ul>
 *   <li>{@code tokencast.refresh{kind,outcome}}: refresh outcomes (counter)
 *   <li>{@code tokencast.fetch{kind,result}}: WeChat fetch latency (timer)
 *   <li>{@code tokencast.token.expiry{key}}: seconds until the current token expires (gauge, NaN if none)
 *   <li>{@code tokencast.refresh.alert{key}}: 1 while a key rests after an error retrying cannot fix
 *   <li>{@code tokencast.refresh.tick.failures}: ticks that failed, mostly because Redis or Kafka was away
 *   <li>{@code tokencast.topic.republished{topic,cause}}: current versions published again because a key's last
 *       record on the topic was rejected, unreadable, a bare tombstone or older than Redis's (an alert)
 * </ul>
 */
public final class RefreshMetrics {

    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<TokenKey, Instant> expiries = new ConcurrentHashMap<>();
    private final Map<TokenKey, AtomicInteger> alerts = new ConcurrentHashMap<>();

    public RefreshMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    /** Registers the per-key gauges of a key, so they exist before its first refresh. */
    public void track(TokenKey key) {
        Gauge.builder("tokencast.token.expiry", expiries, m -> secondsToExpiry(m.get(key)))
                .tag("key", key.asString())
                .baseUnit("seconds")
                .description("Seconds until the key's current token expires")
                .register(registry);
        Gauge.builder("tokencast.refresh.alert", alert(key), AtomicInteger::get)
                .tag("key", key.asString())
                .description("1 while the key rests after an error retrying cannot fix (wrong secret, IP)")
                .register(registry);
    }

    /**
     * Removes the per-key meters of a retired key (its gauges and the quota gauges registered for it), so
     * none reports a token nobody refreshes any more.
     */
    public void untrack(TokenKey key) {
        String tag = key.asString();
        for (String name : List.of(
                "tokencast.token.expiry",
                "tokencast.refresh.alert",
                "tokencast.quota.used",
                "tokencast.quota.remaining")) {
            registry.find(name).tag("key", tag).meters().forEach(registry::remove);
        }
        expiries.remove(key);
        alerts.remove(key);
    }

    /** Updates the per-key gauges from what Redis holds. */
    public void observe(StoredToken stored) {
        stored.current()
                .ifPresentOrElse(t -> expiries.put(stored.key(), t.expiresAt()), () -> expiries.remove(stored.key()));
        alert(stored.key()).set(stored.retryState().filter(r -> r.stopped()).isPresent() ? 1 : 0);
    }

    /** Sets or clears the key's alert at once, without waiting for the next observation. */
    public void alert(TokenKey key, boolean on) {
        alert(key).set(on ? 1 : 0);
    }

    /** Counts one outcome of {@code Refresher.refresh}. */
    public void outcome(TokenKey key, String outcome) {
        Counter.builder("tokencast.refresh")
                .tag("kind", key.kind().id())
                .tag("outcome", outcome)
                .description("Refresh outcomes by kind")
                .register(registry)
                .increment();
    }

    /** Counts one tick that failed as a whole. */
    public void tickFailed() {
        Counter.builder("tokencast.refresh.tick.failures")
                .description("Refresh ticks that failed, e.g. while Redis or Kafka was unreachable")
                .register(registry)
                .increment();
    }

    /** Counts one current version published again after a bad last record on {@code topic}. */
    public void republished(String topic, String cause) {
        Counter.builder("tokencast.topic.republished")
                .tag("topic", topic)
                .tag("cause", cause)
                .description("Current versions published again because a key's last record on the topic was"
                        + " rejected, unreadable, a bare tombstone or older than Redis's")
                .register(registry)
                .increment();
    }

    /** Records how long one WeChat fetch took. */
    public void fetched(TokenKey key, Duration took, boolean success) {
        Timer.builder("tokencast.fetch")
                .tag("kind", key.kind().id())
                .tag("result", success ? "success" : "failure")
                .description("WeChat fetch latency")
                .register(registry)
                .record(took);
    }

    /** The current value of the key's alert gauge. */
    public int alertOf(TokenKey key) {
        return alert(key).get();
    }

    private AtomicInteger alert(TokenKey key) {
        return alerts.computeIfAbsent(key, k -> new AtomicInteger());
    }

    private double secondsToExpiry(Instant expiresAt) {
        return expiresAt == null
                ? Double.NaN
                : Duration.between(clock.instant(), expiresAt).toMillis() / 1000.0;
    }
}
