package io.tokencast.benchmarks;

import io.lettuce.core.RedisClient;
import io.tokencast.testkit.EmbeddedKafka;
import io.tokencast.testkit.LocalInfrastructure;
import io.tokencast.testkit.RedisServerProcess;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The infrastructure every benchmark shares: one embedded KRaft broker and one {@code redis-server} child
 * process, both in reach of this JVM only, and Kafka client settings that copy tokencast's own so that
 * tokencast and its anchor are measured with the same clients.
 */
final class Rig implements AutoCloseable {

    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private final EmbeddedKafka kafka;
    private final RedisServerProcess redis;
    private final Admin admin;

    private Rig(EmbeddedKafka kafka, RedisServerProcess redis) {
        this.kafka = kafka;
        this.redis = redis;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }

    /** Starts a broker and a Redis; a few seconds. */
    static Rig start() {
        EmbeddedKafka kafka = EmbeddedKafka.start();
        try {
            return new Rig(kafka, RedisServerProcess.start());
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
    }

    String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    String redisUri() {
        return redis.url();
    }

    RedisClient redisClient() {
        return RedisClient.create(redisUri());
    }

    /** A new compacted topic with one partition, configured as the refresher creates {@code tokencast.tokens}. */
    String createTokensTopic(String prefix) {
        String name = LocalInfrastructure.uniqueName(prefix);
        NewTopic topic = new NewTopic(name, 1, (short) 1)
                .configs(Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                        TopicConfig.SEGMENT_MS_CONFIG,
                                Long.toString(Duration.ofHours(1).toMillis()),
                        TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG,
                                Long.toString(Duration.ofMinutes(10).toMillis())));
        return create(topic);
    }

    /** A new topic with one partition and the broker's default (delete) policy, as the audit topic has. */
    String createAuditTopic(String prefix) {
        return create(new NewTopic(LocalInfrastructure.uniqueName(prefix), 1, (short) 1));
    }

    private String create(NewTopic topic) {
        String name = topic.name();
        try {
            admin.createTopics(List.of(topic)).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not create topic " + name + " on " + bootstrapServers(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted creating topic " + name, e);
        }
        return name;
    }

    /** The refresher's producer settings: idempotent, {@code acks=all}, no linger. */
    Map<String, Object> refresherProducerConfig(String clientId) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return config;
    }

    /** For filling a topic fast before a measurement: batches, still idempotent. */
    Map<String, Object> bulkProducerConfig(String clientId) {
        Map<String, Object> config = refresherProducerConfig(clientId);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        return config;
    }

    /** The token view's own consumer settings (assign, no group, read_committed), for raw anchors. */
    Map<String, Object> viewConsumerConfig(String clientId) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return config;
    }

    @Override
    public void close() {
        try {
            admin.close(Duration.ofSeconds(5));
        } finally {
            try {
                kafka.close();
            } finally {
                redis.close();
            }
        }
    }
}
