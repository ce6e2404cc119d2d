package io.tokencast.consumer;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * Hears of each Kafka client a view creates and closes: its reader's consumer, the heartbeat producer and the
 * invalid-token reporter's producer. The seam for client metrics: the Spring Boot starter binds Micrometer's
 * {@code KafkaClientMetrics} through it, as Spring Kafka's factory listeners do for Spring's own clients; without
 * Spring, an implementation of a few lines does the same. Called on the thread that creates or closes the client;
 * what it throws is logged and ignored, never failing the view.
 */
public interface KafkaClientListener {

    /** Hears nothing: the default. */
    KafkaClientListener NONE = new KafkaClientListener() {};

    /** {@code consumer}, named {@code clientId}, was created and is about to be used. */
    default void consumerAdded(String clientId, Consumer<?, ?> consumer) {}

    /** {@code consumer} was closed. */
    default void consumerRemoved(String clientId, Consumer<?, ?> consumer) {}

    /** {@code producer}, named {@code clientId}, was created and is about to be used. */
    default void producerAdded(String clientId, Producer<?, ?> producer) {}

    /** {@code producer} was closed. */
    default void producerRemoved(String clientId, Producer<?, ?> producer) {}
}
