package io.tokencast.consumer.spring;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.tokencast.consumer.KafkaClientListener;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * Micrometer's Kafka client metrics ({@code kafka.consumer.*}, {@code kafka.producer.*}, tagged with the client
 * id) for every client the token view creates, bound when it is created and removed when it is closed: what
 * Spring Kafka's {@code MicrometerConsumerListener} and {@code MicrometerProducerListener} do for Spring's own
 * factories. Without a registry in the context nothing is bound.
 */
final class KafkaClientMeters implements KafkaClientListener {

    private final Supplier<MeterRegistry> registry;
    private final Map<Object, KafkaClientMetrics> bound = new ConcurrentHashMap<>();

    /** @param registry the application's registry, or null when it has none */
    KafkaClientMeters(Supplier<MeterRegistry> registry) {
        this.registry = registry;
    }

    @Override
    public void consumerAdded(String clientId, Consumer<?, ?> consumer) {
        bind(consumer, () -> new KafkaClientMetrics(consumer, tags(clientId)));
    }

    @Override
    public void consumerRemoved(String clientId, Consumer<?, ?> consumer) {
        unbind(consumer);
    }

    @Override
    public void producerAdded(String clientId, Producer<?, ?> producer) {
        bind(producer, () -> new KafkaClientMetrics(producer, tags(clientId)));
    }

    @Override
    public void producerRemoved(String clientId, Producer<?, ?> producer) {
        unbind(producer);
    }

    // The tag Spring Kafka's own listeners add: meters of one name must carry one set of tag keys, or Micrometer's
    // binder keeps the ones with more tags (an application's own Spring Kafka clients') and drops the view's.
    private static Tags tags(String clientId) {
        return Tags.of("spring.id", "tokencast." + clientId);
    }

    private void bind(Object client, Supplier<KafkaClientMetrics> metrics) {
        MeterRegistry meters = registry.get();
        if (meters != null) {
            KafkaClientMetrics binder = metrics.get();
            binder.bindTo(meters);
            bound.put(client, binder);
        }
    }

    private void unbind(Object client) {
        KafkaClientMetrics binder = bound.remove(client);
        if (binder != null) {
            binder.close();
        }
    }
}
