package io.tokencast.refresher.service.admin;

import io.micrometer.core.instrument.MeterRegistry;
import io.tokencast.refresher.config.CredentialCatalog;
import io.tokencast.refresher.publish.EventPublisher;
import io.tokencast.refresher.quota.QuotaGuard;
import io.tokencast.refresher.refresh.Refresher;
import io.tokencast.refresher.service.config.TokencastProperties;
import io.tokencast.refresher.service.publish.KafkaClientMeters;
import io.tokencast.refresher.service.publish.KafkaDeadLetters;
import io.tokencast.refresher.store.TokenStore;
import io.tokencast.refresher.wechat.TokenProbe;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.MicrometerConsumerListener;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.kafka.support.ExponentialBackOffWithMaxRetries;

/**
 * Serves the admin and reports topics when {@code tokencast.admin.enabled} (the default): a listener container
 * each, in the consumer groups {@code tokencast.admin.group-id} and {@code <group-id>.reports}, so any replica may
 * take a command, reading values as raw bytes (verifying and decoding are {@link AdminCommands}'s, never the
 * container's) and committing after each record.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "tokencast.admin.enabled", matchIfMissing = true)
class AdminConfiguration {

    /** How long a dead letter may wait for the broker. */
    static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Retries of a record whose handling failed (Redis or the broker down): about a minute in all, then it is
     * given up. A poison payload never gets here; it is refused on first sight.
     */
    static final int RETRIES = 6;

    /**
     * Records per poll. A command may wait for a WeChat call (timeout 10 s), and the batch must be done within
     * {@code max.poll.interval.ms} (5 min) or the group takes the partition away.
     */
    static final int MAX_POLL_RECORDS = 20;

    @Bean
    AdminMetrics adminMetrics(MeterRegistry registry) {
        return new AdminMetrics(registry);
    }

    @Bean
    CommandAuthenticator commandAuthenticator(TokencastProperties properties, Clock clock) {
        TokencastProperties.Admin admin = properties.admin();
        return new CommandAuthenticator(
                OperatorKeys.load(admin.operatorKeysFile(), properties.topics().admin()),
                admin.commandFreshness(),
                clock);
    }

    @Bean
    AdminCommands adminCommands(
            CredentialCatalog catalog,
            Refresher refresher,
            StringRedisTemplate redis,
            QuotaGuard quota,
            TokenStore store,
            TokenProbe tokenProbe,
            CommandAuthenticator commandAuthenticator,
            KafkaDeadLetters adminDeadLetters,
            EventPublisher publisher,
            AdminMetrics adminMetrics,
            Clock clock,
            TokencastProperties properties) {
        TokencastProperties.Admin admin = properties.admin();
        String prefix = properties.redis().keyPrefix();
        return new AdminCommands(
                catalog,
                refresher,
                new ManualFetchLimits(
                        redis,
                        prefix,
                        admin.minIntervalPerKey(),
                        quota,
                        new QuotaReserve(admin.commandShare(), admin.reservedFetchesPerDay(), admin.forcePerDay()),
                        clock),
                new ReportVerifier(store, tokenProbe, redis, prefix, admin.probeInterval(), clock),
                commandAuthenticator,
                new RedisCommandLedger(redis, prefix, "command", admin.dedupWindow(), properties.instanceId()),
                new RedisCommandLedger(redis, prefix, "report", admin.dedupWindow(), properties.instanceId()),
                new Rejections(adminDeadLetters, publisher, adminMetrics, clock, properties.instanceId()),
                adminMetrics,
                clock,
                admin.dedupWindow(),
                properties.topics().reports());
    }

    @Bean
    KafkaMessageListenerContainer<byte[], byte[]> adminCommandListener(
            KafkaProperties kafka,
            TokencastProperties properties,
            AdminCommands adminCommands,
            KafkaClientMeters kafkaClientMeters) {
        return listener(
                kafka,
                properties.admin().groupId(),
                "tokencast-admin-" + properties.instanceId(),
                properties.topics().admin(),
                adminCommands,
                kafkaClientMeters);
    }

    /**
     * The reports topic in a consumer group of its own: every service may write there, so a flood of reports
     * must never hold up an operator's command on the admin topic.
     */
    @Bean
    KafkaMessageListenerContainer<byte[], byte[]> reportListener(
            KafkaProperties kafka,
            TokencastProperties properties,
            AdminCommands adminCommands,
            KafkaClientMeters kafkaClientMeters) {
        return listener(
                kafka,
                reportsGroup(properties),
                "tokencast-reports-" + properties.instanceId(),
                properties.topics().reports(),
                adminCommands,
                kafkaClientMeters);
    }

    static String reportsGroup(TokencastProperties properties) {
        return properties.admin().groupId() + ".reports";
    }

    private static KafkaMessageListenerContainer<byte[], byte[]> listener(
            KafkaProperties kafka,
            String groupId,
            String clientId,
            String topic,
            AdminCommands adminCommands,
            KafkaClientMeters kafkaClientMeters) {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // A command sent while no refresher ran is still served; the ledger and the expiry of commands older
        // than the de-duplication window keep a new group from replaying what was served before.
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS);
        DefaultKafkaConsumerFactory<byte[], byte[]> consumers =
                new DefaultKafkaConsumerFactory<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        kafkaClientMeters
                .registry()
                .ifPresent(meters -> consumers.addListener(new MicrometerConsumerListener<>(meters)));
        ContainerProperties container = new ContainerProperties(topic);
        container.setAckMode(ContainerProperties.AckMode.RECORD);
        container.setMessageListener((MessageListener<byte[], byte[]>) adminCommands::handle);
        KafkaMessageListenerContainer<byte[], byte[]> listener =
                new KafkaMessageListenerContainer<>(consumers, container);
        ExponentialBackOffWithMaxRetries backOff = new ExponentialBackOffWithMaxRetries(RETRIES);
        backOff.setInitialInterval(1_000);
        backOff.setMultiplier(2.0);
        backOff.setMaxInterval(30_000);
        listener.setCommonErrorHandler(
                new DefaultErrorHandler((record, e) -> adminCommands.giveUp(raw(record), e), backOff));
        return listener;
    }

    /** The container only ever holds byte-array records: both deserializers above are byte-array ones. */
    @SuppressWarnings("unchecked")
    private static ConsumerRecord<byte[], byte[]> raw(ConsumerRecord<?, ?> record) {
        return (ConsumerRecord<byte[], byte[]>) record;
    }

    @Bean
    HealthIndicator tokencastAdminHealthIndicator(
            KafkaMessageListenerContainer<byte[], byte[]> adminCommandListener,
            KafkaMessageListenerContainer<byte[], byte[]> reportListener,
            CommandAuthenticator commandAuthenticator,
            TokencastProperties properties) {
        return new AdminHealthIndicator(
                new AdminHealthIndicator.Listener(
                        adminCommandListener,
                        properties.topics().admin(),
                        properties.admin().groupId()),
                new AdminHealthIndicator.Listener(
                        reportListener, properties.topics().reports(), reportsGroup(properties)),
                commandAuthenticator.hasKeys());
    }
}
