package io.tokencast.refresher.service.console;

import io.tokencast.refresher.config.CredentialCatalog;
import io.tokencast.refresher.leader.Leadership;
import io.tokencast.refresher.quota.QuotaGuard;
import io.tokencast.refresher.service.config.TokencastProperties;
import io.tokencast.refresher.service.fleet.FleetQuery;
import io.tokencast.refresher.service.publish.KafkaClientMeters;
import io.tokencast.refresher.service.publish.KafkaClientSettings;
import io.tokencast.refresher.service.publish.TopicTail;
import io.tokencast.refresher.store.TokenStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.actuate.autoconfigure.web.server.ConditionalOnManagementPort;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.databind.json.JsonMapper;

/** The operator console's parts: the audit and dead-letter tails, the replica roster, commands, live events. */
@Configuration(proxyBeanMethods = false)
class ConsoleConfiguration {

    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration DEAD_LETTER_LOOK_BACK = Duration.ofDays(7);

    /** With one port for the application and Actuator, the page is served here (else by ConsoleWebConfiguration). */
    @Bean
    @ConditionalOnManagementPort(ManagementPortType.SAME)
    static WebMvcConfigurer consoleResourcesOnTheServerPort() {
        return ConsoleWebConfiguration.consoleResources();
    }

    @Bean
    AuditLog consoleAuditLog(ConsoleSettings settings) {
        return new AuditLog(settings.historyPerKey(), 4 * settings.maxKeys());
    }

    @Bean
    DeadLetterLog consoleDeadLetters(ConsoleSettings settings) {
        return new DeadLetterLog(settings.deadLetters());
    }

    @Bean(destroyMethod = "close")
    @DependsOn("topicInitializer")
    TopicTail consoleAuditTail(
            KafkaProperties kafka,
            TokencastProperties properties,
            ConsoleSettings settings,
            Clock clock,
            AuditLog consoleAuditLog,
            KafkaClientMeters kafkaClientMeters) {
        return tail(
                        kafka,
                        properties,
                        "audit",
                        properties.topics().audit(),
                        settings.auditLookBack(),
                        clock,
                        kafkaClientMeters)
                .apply(consoleAuditLog::apply);
    }

    @Bean(destroyMethod = "close")
    @DependsOn("topicInitializer")
    TopicTail consoleDeadLetterTail(
            KafkaProperties kafka,
            TokencastProperties properties,
            Clock clock,
            DeadLetterLog consoleDeadLetters,
            KafkaClientMeters kafkaClientMeters) {
        return tail(
                        kafka,
                        properties,
                        "dead-letters",
                        properties.topics().adminDeadLetter(),
                        DEAD_LETTER_LOOK_BACK,
                        clock,
                        kafkaClientMeters)
                .apply(consoleDeadLetters::apply);
    }

    private interface TailStarter {
        TopicTail apply(
                java.util.function.Consumer<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>> sink);
    }

    private static TailStarter tail(
            KafkaProperties kafka,
            TokencastProperties properties,
            String what,
            String topic,
            Duration lookBack,
            Clock clock,
            KafkaClientMeters kafkaClientMeters) {
        Map<String, Object> config =
                KafkaClientSettings.topicReader(kafka, "tokencast-console-" + what + "-" + properties.instanceId());
        return sink -> new TopicTail(
                        kafkaClientMeters.consumers(() ->
                                new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())),
                        topic,
                        lookBack,
                        clock,
                        sink)
                .start();
    }

    @Bean
    ReplicaRoster consoleReplicaRoster(StringRedisTemplate redis, TokencastProperties properties, Clock clock) {
        return new ReplicaRoster(redis, properties.redis().keyPrefix(), properties.instanceId(), clock);
    }

    @Bean
    ConsoleState consoleState(
            TokencastProperties properties,
            ConsoleSettings settings,
            CredentialCatalog catalog,
            TokenStore store,
            QuotaGuard quota,
            Leadership leadership,
            FleetQuery fleetQuery,
            ReplicaRoster consoleReplicaRoster,
            AuditLog consoleAuditLog,
            DeadLetterLog consoleDeadLetters,
            Clock clock) {
        return new ConsoleState(
                properties.instanceId(),
                settings,
                catalog,
                store,
                quota,
                leadership,
                fleetQuery,
                consoleReplicaRoster,
                consoleAuditLog,
                consoleDeadLetters,
                clock);
    }

    @Bean(destroyMethod = "close")
    ConsoleEvents consoleEvents(
            ConsoleState consoleState, ReplicaRoster consoleReplicaRoster, ConsoleSettings settings) {
        return new ConsoleEvents(
                consoleState, consoleReplicaRoster, JsonMapper.builder().build(), settings.push());
    }

    @Bean(destroyMethod = "close")
    @DependsOn("topicInitializer")
    OperatorCommands operatorCommands(
            KafkaProperties kafka,
            TokencastProperties properties,
            ConsoleSettings settings,
            CredentialCatalog catalog,
            QuotaGuard quota,
            Clock clock,
            KafkaClientMeters kafkaClientMeters) {
        Map<String, Object> config =
                KafkaClientSettings.producer(kafka, "tokencast-console-" + properties.instanceId(), KAFKA_TIMEOUT);
        return new OperatorCommands(
                () -> kafkaClientMeters.bind(
                        new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())),
                ConsoleOperatorKey.load(
                        settings.operatorKeyFile(), properties.admin().operatorKeysFile()),
                properties.topics().admin(),
                catalog,
                quota,
                clock,
                KAFKA_TIMEOUT);
    }
}
