package io.tokencast.topics;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokencast.testkit.LocalInfrastructure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link TopicReader} against the testkit's real broker. */
class TopicReaderIT {

    private final String bootstrap = LocalInfrastructure.shared().kafkaBootstrapServers();
    private final String topic = LocalInfrastructure.uniqueName("topic-reader-it");
    private KafkaProducer<String, byte[]> producer;

    @BeforeEach
    void createTopic() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    @AfterEach
    void close() {
        producer.close();
    }

    @Test
    void handsOverEveryRecordOfEveryPartitionUpToTheEndOffsetsAndNoneWrittenDuringTheRead() throws Exception {
        for (int i = 0; i < 30; i++) {
            send("key-" + i, "value-" + i, null);
        }
        List<String> read = new ArrayList<>();

        boolean exists = reader(Duration.ofSeconds(30))
                .readToEnd(
                        record -> {
                            read.add(text(record.value()));
                            if (read.size() == 1) {
                                // Written while the read runs: after its end offsets, so not part of it.
                                send("late", "late", null);
                            }
                        },
                        IllegalStateException::new);

        assertThat(exists).isTrue();
        assertThat(read).hasSize(30).doesNotContain("late").contains("value-0", "value-29");
    }

    @Test
    void readsSinceAnInstantFromTheFirstRecordStampedAtOrAfterIt() throws Exception {
        Instant t0 = Instant.parse("2026-03-01T08:00:00Z");
        send("a", "before", t0.minusSeconds(60));
        send("a", "at", t0);
        send("b", "after", t0.plusSeconds(60));
        List<String> read = new ArrayList<>();

        reader(Duration.ofSeconds(30))
                .readSince(t0, record -> read.add(text(record.value())), IllegalStateException::new);

        assertThat(read).containsExactlyInAnyOrder("at", "after");
    }

    @Test
    void saysSoWhenTheTopicDoesNotExist() {
        TopicReader missing = new TopicReader(
                () -> consumer(Map.of(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false)),
                topic + "-missing",
                Duration.ofSeconds(30));

        assertThat(missing.readToEnd(record -> {}, IllegalStateException::new)).isFalse();
    }

    private TopicReader reader(Duration timeout) {
        return new TopicReader(() -> consumer(Map.of()), topic, timeout);
    }

    private KafkaConsumer<String, byte[]> consumer(Map<String, Object> extra) {
        Map<String, Object> config = new java.util.HashMap<>(extra);
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private void send(String key, String value, Instant timestamp) {
        try {
            producer.send(new ProducerRecord<>(
                            topic,
                            null,
                            timestamp == null ? null : timestamp.toEpochMilli(),
                            key,
                            value.getBytes(StandardCharsets.UTF_8)))
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String text(byte[] value) {
        return new String(value, StandardCharsets.UTF_8);
    }
}
