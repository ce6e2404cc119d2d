package io.tokencast.consumer.spring;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.tokencast.consumer.Token;
import io.tokencast.consumer.TokenChangeListener;
import io.tokencast.consumer.TokenState;
import io.tokencast.consumer.TokenView;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.trust.signing.Verdict;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Gauges of a token view: how many keys, whether ready, records read and skipped, seconds since the broker last
 * answered and records still to read, and per key the seconds left before expiry and the {@link TokenState}
 * (0 FRESH, 1 STALE, 2 EXPIRED, 3 ABSENT). Keys are tagged {@code key=<kind>/<account>}; one pair of gauges
 * per key ever seen.
 */
final class TokenViewMetrics implements MeterBinder, TokenChangeListener {

    private final TokenView view;
    private final List<TokenKey> requiredKeys;
    private final Clock clock;
    private final ConcurrentHashMap<TokenKey, Instant> expiries = new ConcurrentHashMap<>();
    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();

    TokenViewMetrics(TokenView view, List<TokenKey> requiredKeys, Clock clock) {
        this.view = view;
        this.requiredKeys = requiredKeys;
        this.clock = clock;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("tokencast.consumer.keys", view, v -> v.stats().keys())
                .description("Tokens held by the view")
                .register(registry);
        Gauge.builder("tokencast.consumer.ready", view, v -> v.isReady() ? 1 : 0)
                .description("1 once the view has read the tokens topic to the end offsets taken at start")
                .register(registry);
        FunctionCounter.builder(
                        "tokencast.consumer.records.read", view, v -> v.stats().recordsRead())
                .description("Records read from the tokens topic")
                .register(registry);
        FunctionCounter.builder("tokencast.consumer.records.skipped", view, v -> v.stats()
                        .malformedSkipped())
                .description("Malformed or wrong-schema records skipped")
                .register(registry);
        for (Verdict verdict : Verdict.values()) {
            if (verdict.isVerified()) {
                continue;
            }
            // One counter per verdict: a bounded set of tags, whatever the records claim.
            FunctionCounter.builder("tokencast.consumer.records.rejected", view, v -> v.stats()
                            .signatureRejections()
                            .getOrDefault(verdict, 0L))
                    .description("Records refused by the signature check, by verdict; never applied")
                    .tag("verdict", verdict.name())
                    .register(registry);
        }
        Gauge.builder("tokencast.consumer.verification.pending", view, v -> v.stats()
                        .verificationPending())
                .description("Keys restored at start whose records are not verified yet (verified in the background"
                        + " or on first read, never served before)")
                .register(registry);
        Gauge.builder(
                        "tokencast.consumer.broker.silence",
                        view,
                        v -> v.brokerContact().silentFor().toMillis() / 1000.0)
                .description("Seconds since the Kafka broker last answered the view (since start, if it never has)")
                .baseUnit("seconds")
                .register(registry);
        Gauge.builder("tokencast.consumer.records.behind", view, TokenViewMetrics::recordsBehind)
                .description("Records between the view's position and the end of the tokens topic at the last"
                        + " broker contact")
                .register(registry);
        boolean first = registries.isEmpty();
        registries.add(registry);
        if (first) {
            view.addListener(this);
        }
        requiredKeys.forEach(key -> perKey(registry, key));
        for (TokenRefreshed held : view.snapshot().values()) {
            expiries.merge(held.tokenKey(), held.expiresAt(), (a, b) -> a.isAfter(b) ? a : b);
        }
        expiries.keySet().forEach(key -> perKey(registry, key));
    }

    @Override
    public void tokenRefreshed(Token token) {
        boolean added = expiries.put(token.key(), token.expiresAt()) == null;
        if (added) {
            registries.forEach(registry -> perKey(registry, token.key()));
        }
    }

    private void perKey(MeterRegistry registry, TokenKey key) {
        Gauge.builder("tokencast.consumer.token.expiry", this, metrics -> metrics.secondsToExpiry(key))
                .description("Seconds until the held token expires (negative once expired)")
                .baseUnit("seconds")
                .tag("key", key.asString())
                .register(registry);
        Gauge.builder("tokencast.consumer.token.state", view, v -> v.state(key).ordinal())
                .description("0 FRESH, 1 STALE (refresher late), 2 EXPIRED, 3 ABSENT")
                .tag("key", key.asString())
                .register(registry);
    }

    private static double recordsBehind(TokenView view) {
        OptionalLong behind = view.brokerContact().recordsBehind();
        return behind.isPresent() ? behind.getAsLong() : Double.NaN;
    }

    private double secondsToExpiry(TokenKey key) {
        Instant expiry = expiries.get(key);
        if (expiry == null || view.state(key) == TokenState.ABSENT) {
            return Double.NaN;
        }
        return (expiry.toEpochMilli() - clock.millis()) / 1000.0;
    }
}
