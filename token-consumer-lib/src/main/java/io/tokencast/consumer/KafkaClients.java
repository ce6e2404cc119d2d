package io.tokencast.consumer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the Kafka clients of one view and tells its {@link KafkaClientListener} of each, and again once its
 * owner has closed it, so a listener hears of every client the view makes and can forget each.
 */
final class KafkaClients {

    private static final Logger log = LoggerFactory.getLogger(KafkaClients.class);

    private final KafkaClientListener listener;
    // Kafka's clients keep Object's identity equality: one entry per client, removed when it closes.
    private final Map<Object, String> clientIds = new ConcurrentHashMap<>();

    KafkaClients(KafkaClientListener listener) {
        this.listener = listener;
    }

    Consumer<String, byte[]> consumer(Map<String, Object> config) {
        Consumer<String, byte[]> consumer = new KafkaConsumer<>(config);
        String clientId = String.valueOf(config.get(ConsumerConfig.CLIENT_ID_CONFIG));
        clientIds.put(consumer, clientId);
        tell("consumerAdded", clientId, () -> listener.consumerAdded(clientId, consumer));
        return consumer;
    }

    /** Its owner closed {@code consumer}. */
    void consumerClosed(Consumer<?, ?> consumer) {
        String clientId = clientIds.remove(consumer);
        if (clientId != null) {
            tell("consumerRemoved", clientId, () -> listener.consumerRemoved(clientId, consumer));
        }
    }

    Producer<String, byte[]> producer(Map<String, Object> config) {
        Producer<String, byte[]> producer = new KafkaProducer<>(config);
        String clientId = String.valueOf(config.get(ProducerConfig.CLIENT_ID_CONFIG));
        clientIds.put(producer, clientId);
        tell("producerAdded", clientId, () -> listener.producerAdded(clientId, producer));
        return producer;
    }

    /** Its owner closed {@code producer}. */
    void producerClosed(Producer<?, ?> producer) {
        String clientId = clientIds.remove(producer);
        if (clientId != null) {
            tell("producerRemoved", clientId, () -> listener.producerRemoved(clientId, producer));
        }
    }

    private static void tell(String event, String clientId, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.warn("kafka client listener failed event={} clientId={} cause={}", event, clientId, e.toString());
        }
    }
}
