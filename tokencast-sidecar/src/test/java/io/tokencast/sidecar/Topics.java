package io.tokencast.sidecar;

import io.tokencast.schema.EventCodec;
import io.tokencast.schema.RefreshReason;
import io.tokencast.schema.RefreshRequested;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.testkit.LocalInfrastructure;
import io.tokencast.testkit.signing.TestRefresherKey;
import io.tokencast.topics.TopicReader;
import io.tokencast.trust.encryption.RecordEncryption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A uniquely named tokens topic and report topic on the shared test broker, written to as the refresher
 * writes (idempotent, {@code acks=all}, signed with {@link TestRefresherKey#shared()}), and read back as the
 * refresher reads reports.
 */
final class Topics implements AutoCloseable {

    final String tokens;
    final String reports;
    /** Where views and sidecars send heartbeats; created, so a heartbeat finds it. */
    final String consumers;

    private final KafkaProducer<String, byte[]> producer;

    private Topics(String tokens, String reports, String consumers) {
        this.tokens = tokens;
        this.reports = reports;
        this.consumers = consumers;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class));
    }

    static String bootstrapServers() {
        return LocalInfrastructure.shared().kafkaBootstrapServers();
    }

    static Topics create(String prefix) {
        String tokens = LocalInfrastructure.uniqueName(prefix + "-tokens");
        String reports = LocalInfrastructure.uniqueName(prefix + "-reports");
        String consumers = LocalInfrastructure.uniqueName(prefix + "-consumers");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            admin.createTopics(List.of(
                            new NewTopic(tokens, 1, (short) 1)
                                    .configs(Map.of(
                                            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
                            new NewTopic(consumers, 1, (short) 1)
                                    .configs(Map.of(
                                            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
                            new NewTopic(reports, 1, (short) 1)
                                    .configs(Map.of(
                                            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE))))
                    .all()
                    .get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("could not create topics " + tokens + ", " + reports, e);
        }
        return new Topics(tokens, reports, consumers);
    }

    /** Publishes a version as the refresher would, and waits until the broker has it. */
    TokenRefreshed publish(
            TokenKey key, long version, String token, Instant issuedAt, Instant expiresAt, Instant nextRefreshAt) {
        return publish(
                TokenRefreshed.of(
                        key, version, token, issuedAt, expiresAt, nextRefreshAt, RefreshReason.SCHEDULED, "test", null),
                RecordEncryption.off());
    }

    /** Publishes {@code event} sealed by {@code encryption} (when on), signed, as the refresher would. */
    TokenRefreshed publish(TokenRefreshed plain, RecordEncryption encryption) {
        TokenRefreshed event = encryption.enabled() ? encryption.seal(plain) : plain;
        TokenKey key = event.tokenKey();
        try {
            producer.send(new ProducerRecord<>(
                            tokens, key.asString(), TestRefresherKey.shared().sign(event)))
                    .get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("could not publish " + key, e);
        }
        return event;
    }

    /** Every report on the report topic so far. */
    List<RefreshRequested> reportsSoFar() {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class);
        List<RefreshRequested> out = new ArrayList<>();
        new TopicReader(() -> new KafkaConsumer<String, byte[]>(config), reports, Duration.ofSeconds(30))
                .readToEnd(
                        record -> out.add(EventCodec.json().decode(record.value(), RefreshRequested.class)),
                        IllegalStateException::new);
        return out;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
