package io.tokencast.refresher.publish;

import io.tokencast.refresher.config.TokencastProperties;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;

/**
 * Kafka for the refresher: its own admin client (topic creation, health), an idempotent {@code acks=all}
 * producer and the tokens-topic reader, all from Spring Boot's {@code spring.kafka.*} properties.
 */
@Configuration(proxyBeanMethods = false)
class PublishConfiguration {

    /** How long a publish may wait for the broker; also bounds admin calls and the recovery read. */
    static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(10);

    static final Duration RECOVERY_READ_TIMEOUT = Duration.ofSeconds(60);

    @Bean(destroyMethod = "close")
    Admin tokencastAdmin(KafkaProperties kafka, TokencastProperties properties) {
        Map<String, Object> config = new HashMap<>(kafka.buildAdminProperties());
        config.put("client.id", "tokencast-admin-" + properties.instanceId());
        return Admin.create(config);
    }

    @Bean
    TopicInitializer topicInitializer(Admin tokencastAdmin, TokencastProperties properties) {
        return new TopicInitializer(tokencastAdmin, properties.topics(), KAFKA_TIMEOUT);
    }

    @Bean(destroyMethod = "close")
    @DependsOn("topicInitializer")
    KafkaEventPublisher eventPublisher(KafkaProperties kafka, TokencastProperties properties) {
        Map<String, Object> config = new HashMap<>(kafka.buildProducerProperties());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "tokencast-refresher-" + properties.instanceId());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // A send is given up after KAFKA_TIMEOUT, so the producer must not deliver it later behind our back.
        int timeoutMs = (int) KAFKA_TIMEOUT.toMillis();
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (long) timeoutMs);
        KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        return new KafkaEventPublisher(
                producer, properties.topics().tokens(), properties.topics().audit(), KAFKA_TIMEOUT);
    }

    @Bean
    @DependsOn("topicInitializer")
    TokenTopic tokenTopic(KafkaProperties kafka, TokencastProperties properties) {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "tokencast-recovery-" + properties.instanceId());
        return new KafkaTokenTopic(
                () -> new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer()),
                properties.topics().tokens(),
                RECOVERY_READ_TIMEOUT);
    }
}
