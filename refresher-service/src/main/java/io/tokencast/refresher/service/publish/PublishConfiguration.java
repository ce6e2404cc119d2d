package io.tokencast.refresher.service.publish;

import io.micrometer.core.instrument.MeterRegistry;
import io.tokencast.refresher.publish.TokenTopic;
import io.tokencast.refresher.service.config.TokencastProperties;
import io.tokencast.refresher.signing.RecordSigning;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.data.redis.core.StringRedisTemplate;

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
    KafkaClientMeters kafkaClientMeters(ObjectProvider<MeterRegistry> registry) {
        return new KafkaClientMeters(Optional.ofNullable(registry.getIfAvailable()));
    }

    @Bean(destroyMethod = "close")
    @DependsOn("topicInitializer")
    KafkaEventPublisher eventPublisher(
            KafkaProperties kafka,
            TokencastProperties properties,
            KafkaClientMeters kafkaClientMeters,
            RecordSigning recordSigning) {
        Map<String, Object> config =
                KafkaClientSettings.producer(kafka, "tokencast-refresher-" + properties.instanceId(), KAFKA_TIMEOUT);
        KafkaProducer<String, byte[]> producer =
                kafkaClientMeters.bind(new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer()));
        return new KafkaEventPublisher(
                producer, properties.topics().tokens(), properties.topics().audit(), KAFKA_TIMEOUT, recordSigning);
    }

    @Bean
    @DependsOn("topicInitializer")
    TokenTopic tokenTopic(
            KafkaProperties kafka,
            TokencastProperties properties,
            RecordSigning recordSigning,
            KafkaClientMeters kafkaClientMeters) {
        Map<String, Object> config =
                KafkaClientSettings.topicReader(kafka, "tokencast-recovery-" + properties.instanceId());
        return new KafkaTokenTopic(
                kafkaClientMeters.consumers(
                        () -> new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())),
                properties.topics().tokens(),
                RECOVERY_READ_TIMEOUT,
                recordSigning);
    }

    /** The dead-letter topic: refused admin and reports records, and poison met on the tokens and credentials topics. */
    @Bean(destroyMethod = "close")
    @DependsOn("topicInitializer")
    KafkaDeadLetters adminDeadLetters(
            KafkaProperties kafka, TokencastProperties properties, KafkaClientMeters kafkaClientMeters) {
        Map<String, Object> config =
                KafkaClientSettings.producer(kafka, "tokencast-admin-dlt-" + properties.instanceId(), KAFKA_TIMEOUT);
        return new KafkaDeadLetters(
                kafkaClientMeters.bind(
                        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())),
                properties.topics().adminDeadLetter(),
                KAFKA_TIMEOUT);
    }

    @Bean
    PoisonRecords poisonRecords(
            KafkaDeadLetters adminDeadLetters,
            StringRedisTemplate redis,
            ObjectProvider<MeterRegistry> meters,
            TokencastProperties properties) {
        return new PoisonRecords(
                adminDeadLetters,
                redis,
                properties.redis().keyPrefix(),
                TopicInitializer.ADMIN_RETENTION,
                meters.getIfAvailable(io.micrometer.core.instrument.simple.SimpleMeterRegistry::new));
    }
}
