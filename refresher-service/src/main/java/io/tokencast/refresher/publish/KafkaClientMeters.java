package io.tokencast.refresher.publish;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.Producer;

/**
 * Micrometer's Kafka client metrics ({@code kafka.producer.*}) for the refresher's producers, which live as long
 * as the application; unbound when the context closes. The admin listener's consumer is measured by its
 * factory's listener; the topic readers live for one read and are not measured. Without a registry (a context
 * without Actuator) nothing is bound.
 */
public final class KafkaClientMeters implements AutoCloseable {

    private final Optional<MeterRegistry> registry;
    private final List<KafkaClientMetrics> bound = new CopyOnWriteArrayList<>();

    public KafkaClientMeters(Optional<MeterRegistry> registry) {
        this.registry = registry;
    }

    /** Binds {@code producer}'s metrics and returns it. */
    public <P extends Producer<?, ?>> P bind(P producer) {
        registry.ifPresent(meters -> {
            KafkaClientMetrics metrics = new KafkaClientMetrics(producer);
            metrics.bindTo(meters);
            bound.add(metrics);
        });
        return producer;
    }

    public Optional<MeterRegistry> registry() {
        return registry;
    }

    @Override
    public void close() {
        bound.forEach(KafkaClientMetrics::close);
        bound.clear();
    }
}
