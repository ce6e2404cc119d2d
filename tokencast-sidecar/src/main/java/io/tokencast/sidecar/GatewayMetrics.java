package io.tokencast.sidecar;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's metrics, per path template ({@link GatewayRoutes#template}: at most a few hundred values,
 * whatever callers send): calls by outcome, upstream latency, retries after a rotation, local refusals by
 * reason, reports. No tag ever holds a token, a handle, a key a caller made up or a query value.
 */
final class GatewayMetrics {

    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, Timer> calls = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Timer> upstream = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();

    GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** @param outcome {@code forwarded}, {@code retried}, {@code upstream-error} or {@code broken} */
    void call(String path, String outcome, long nanos) {
        calls.computeIfAbsent(path + " " + outcome, k -> Timer.builder("tokencast.sidecar.gateway.calls")
                        .description("calls forwarded to WeChat, by path template and outcome")
                        .tag("path", path)
                        .tag("outcome", outcome)
                        .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    void upstream(String path, long nanos) {
        upstream.computeIfAbsent(path, k -> Timer.builder("tokencast.sidecar.gateway.upstream")
                        .description("time until WeChat's answer began, per exchange, by path template")
                        .tag("path", path)
                        .publishPercentiles(0.5, 0.99)
                        .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    void retry(String path) {
        counter("tokencast.sidecar.gateway.retries", "calls sent again with the next token", "path", path);
    }

    /** @param reason from a fixed set: busy, credential-41001, credential-40014, too-large, unmapped, … */
    void refusal(String path, String reason) {
        counters.computeIfAbsent(
                        "refusal " + path + " " + reason, k -> Counter.builder("tokencast.sidecar.gateway.refusals")
                                .description("calls answered by the gateway itself, never forwarded")
                                .tag("path", path)
                                .tag("reason", reason)
                                .register(registry))
                .increment();
    }

    /** @param result {@code sent}, {@code coalesced} (another caller reported it) or {@code failed} */
    void report(String result) {
        counter("tokencast.sidecar.gateway.reports", "refused tokens the gateway reported", "result", result);
    }

    private void counter(String name, String description, String tag, String value) {
        counters.computeIfAbsent(name + " " + value, k -> Counter.builder(name)
                        .description(description)
                        .tag(tag, value)
                        .register(registry))
                .increment();
    }
}
