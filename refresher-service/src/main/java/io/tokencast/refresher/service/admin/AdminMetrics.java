package io.tokencast.refresher.service.admin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The admin topic's meters; tags are outcome and error codes from a fixed set, never a key, id or payload:
 * <ul>
 *   <li>{@code tokencast.admin.commands{outcome}}: admin records handled, by outcome ({@code REFRESHED},
 *       {@code COALESCED}, {@code REJECTED}, …, {@code DUPLICATE})
 *   <li>{@code tokencast.admin.rejected{reason}}: records refused, by reason ({@code MALFORMED_JSON},
 *       {@code UNKNOWN_KEY}, {@code RATE_LIMITED}, …)
 *   <li>{@code tokencast.admin.dead-lettered}: records kept on the dead-letter topic
 * </ul>
 */
final class AdminMetrics {

    private final MeterRegistry registry;
    private final Counter deadLettered;

    AdminMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.deadLettered = Counter.builder("tokencast.admin.dead-lettered")
                .description("Admin-topic records kept on the dead-letter topic")
                .register(registry);
    }

    void handled(String outcome) {
        Counter.builder("tokencast.admin.commands")
                .tag("outcome", outcome)
                .description("Admin-topic records handled, by outcome")
                .register(registry)
                .increment();
    }

    void rejected(String reason) {
        Counter.builder("tokencast.admin.rejected")
                .tag("reason", reason)
                .description("Admin-topic records refused, by reason")
                .register(registry)
                .increment();
    }

    void deadLettered() {
        deadLettered.increment();
    }
}
