package io.tokencast.sidecar;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tokencast.consumer.TokenView;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BooleanSupplier;

/**
 * The sidecar's Prometheus metrics. Tags come from fixed sets only (endpoints, status codes the sidecar
 * writes, report results), never from a path, a key a caller made up, or a token.
 */
final class SidecarMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** By endpoint and status (100 to 599), registered on first use; no boxing or map on a request's way. */
    private final AtomicReferenceArray<Timer> timers = new AtomicReferenceArray<>(Endpoint.values().length * 500);

    private final ConcurrentHashMap<String, Counter> reports = new ConcurrentHashMap<>();

    SidecarMetrics() {}

    /**
     * JVM and process gauges. They load the JDK's management classes, a few hundred milliseconds at start, so
     * the sidecar binds them after it listens and its view is reading.
     */
    void bindJvm() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    void bind(TokenView view, Waiters waiters, FingerprintIndex index, BooleanSupplier serving) {
        Gauge.builder("tokencast.sidecar.ready", () -> serving.getAsBoolean() ? 1 : 0)
                .description("1 when the view has read the tokens topic to its end and the sidecar serves")
                .register(registry);
        Gauge.builder("tokencast.sidecar.tokens", () -> view.stats().keys())
                .description("tokens the view holds")
                .register(registry);
        Gauge.builder("tokencast.sidecar.records.malformed", () -> view.stats().malformedSkipped())
                .description("records on the topic the view refused")
                .register(registry);
        Gauge.builder(
                        "tokencast.sidecar.broker.contact.lost",
                        () -> view.brokerContact().lost() ? 1 : 0)
                .description("1 while the view has lost contact with Kafka (it keeps serving what it holds)")
                .register(registry);
        Gauge.builder("tokencast.sidecar.waiting", waiters::size)
                .description("requests waiting for a next token (long polls, reports)")
                .register(registry);
        Gauge.builder("tokencast.sidecar.fingerprints", index::size)
                .description("recent token fingerprints the sidecar can attribute to a key")
                .register(registry);
    }

    void request(Endpoint endpoint, int status, long nanos) {
        boolean cached = status >= 100 && status < 600;
        int slot = endpoint.ordinal() * 500 + status - 100;
        Timer timer = cached ? timers.get(slot) : null;
        if (timer == null) {
            // Registering twice in a race gives the same meter: the registry keeps one per name and tags.
            timer = Timer.builder("tokencast.sidecar.requests")
                    .description("requests answered, by endpoint and HTTP status")
                    .tag("endpoint", endpoint.name().toLowerCase(java.util.Locale.ROOT))
                    .tag("status", Integer.toString(status))
                    .register(registry);
            if (cached) {
                timers.set(slot, timer);
            }
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** @param result {@code sent}, {@code failed} or {@code refused} */
    void report(String result) {
        reports.computeIfAbsent(result, r -> Counter.builder("tokencast.sidecar.reports")
                        .description("invalid-token reports the sidecar made for its callers")
                        .tag("result", r)
                        .register(registry))
                .increment();
    }

    io.micrometer.core.instrument.MeterRegistry registry() {
        return registry;
    }

    String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        registry.close();
    }
}
