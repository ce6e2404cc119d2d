package io.tokencast.refresher.service.publish;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * Micrometer's Kafka client metrics ({@code kafka.producer.*}, {@code kafka.consumer.*}, tagged with the client
 * id) for every client the refresher creates itself: producers, which live as long as the application, are
 * unbound when the context closes; the topic readers' consumers, made per read or per tail, when each is closed.
 * The admin listener's consumer is measured by its Spring factory's listener. Without a registry (a context
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
            KafkaClientMetrics metrics = new KafkaClientMetrics(producer, tags(producer.metrics()));
            metrics.bindTo(meters);
            bound.add(metrics);
        });
        return producer;
    }

    /**
     * {@code consumers} whose every consumer is measured from when it is made until it is closed: a reader that
     * opens a consumer per read leaves no meters (nor the binder's refresh thread) behind.
     */
    public <K, V> Supplier<Consumer<K, V>> consumers(Supplier<Consumer<K, V>> consumers) {
        return () -> {
            Consumer<K, V> consumer = consumers.get();
            if (registry.isEmpty()) {
                return consumer;
            }
            KafkaClientMetrics metrics = new KafkaClientMetrics(consumer, tags(consumer.metrics()));
            metrics.bindTo(registry.get());
            bound.add(metrics);
            return unbindingOnClose(consumer, metrics);
        };
    }

    // A proxy rather than a subclass: the readers see the Consumer interface only, and close() is the one call
    // to hear of, whichever of its overloads the reader uses.
    @SuppressWarnings("unchecked")
    private <K, V> Consumer<K, V> unbindingOnClose(Consumer<K, V> consumer, KafkaClientMetrics metrics) {
        return (Consumer<K, V>) Proxy.newProxyInstance(
                Consumer.class.getClassLoader(), new Class<?>[] {Consumer.class}, (proxy, method, args) -> {
                    try {
                        return method.invoke(consumer, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    } finally {
                        if (method.getName().equals("close")) {
                            bound.remove(metrics);
                            metrics.close();
                        }
                    }
                });
    }

    // The tag Spring Kafka's own listeners add (the admin listener's consumer has it): meters of one name must
    // carry one set of tag keys, or Micrometer's binder keeps the ones with more tags and drops ours.
    private static Tags tags(Map<MetricName, ? extends Metric> metrics) {
        String clientId = metrics.keySet().stream()
                .map(name -> name.tags().get("client-id"))
                .filter(Objects::nonNull)
                .findFirst()
                .orElse("unknown");
        return Tags.of("spring.id", clientId);
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
