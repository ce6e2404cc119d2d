package io.tokencast.refresher.service.publish;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

/** The settings the refresher's own Kafka clients add to Spring Boot's {@code spring.kafka.*} properties. */
public final class KafkaClientSettings {

    private KafkaClientSettings() {}

    /**
     * An idempotent {@code acks=all} producer that sends at once. A send is given up after {@code timeout}, so
     * request, delivery and blocking all end by then: the producer must not deliver it later behind our back.
     */
    public static Map<String, Object> producer(KafkaProperties kafka, String clientId, Duration timeout) {
        return producer(kafka.buildProducerProperties(), clientId, timeout);
    }

    /** {@link #producer(KafkaProperties, String, Duration)} on plain client properties, without Spring Boot's. */
    public static Map<String, Object> producer(Map<String, ?> base, String clientId, Duration timeout) {
        Map<String, Object> config = new HashMap<>(base);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        int timeoutMs = (int) timeout.toMillis();
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (long) timeoutMs);
        return config;
    }

    /** A consumer for a {@link io.tokencast.topics.TopicReader} or a topic tail: in no group, committing nothing. */
    public static Map<String, Object> topicReader(KafkaProperties kafka, String clientId) {
        return topicReader(kafka.buildConsumerProperties(), clientId);
    }

    /** {@link #topicReader(KafkaProperties, String)} on plain client properties, without Spring Boot's. */
    public static Map<String, Object> topicReader(Map<String, ?> base, String clientId) {
        Map<String, Object> config = new HashMap<>(base);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        return config;
    }
}
