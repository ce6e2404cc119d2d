package io.tokencast.cli.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokencast.schema.AttemptOutcome;
import io.tokencast.schema.EventCodec;
import io.tokencast.schema.RefreshAttempted;
import io.tokencast.schema.RefreshReason;
import io.tokencast.testkit.LocalInfrastructure;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AuditHistoryIT {

    private static final String A = "wechat-access-token/wxaaaaaaaaaaaaaaaa";
    private static final String B = "wechat-access-token/wxbbbbbbbbbbbbbbbb";
    private static final Instant T0 = Instant.parse("2026-11-20T00:00:00Z");

    private static final LocalInfrastructure infrastructure = LocalInfrastructure.shared();
    private static final String topic = LocalInfrastructure.uniqueName("audit");

    @BeforeAll
    static void givenAnAuditTopicWithTwoKeysOverThreeDaysAndOneGarbageRecord() throws Exception {
        try (Admin admin = Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infrastructure.kafkaBootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
        }
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infrastructure.kafkaBootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            for (int hour = 0; hour < 72; hour += 6) {
                send(producer, attempt(A, hour, AttemptOutcome.REFRESHED));
                send(producer, attempt(B, hour + 1, hour == 12 ? AttemptOutcome.FAILED : AttemptOutcome.REFRESHED));
            }
            producer.send(new ProducerRecord<>(
                            topic,
                            0,
                            T0.plusSeconds(3600 * 30).toEpochMilli(),
                            A,
                            "{not json".getBytes(StandardCharsets.UTF_8)))
                    .get();
        }
    }

    private final AuditHistory history = AuditHistory.builder()
            .bootstrapServers(infrastructure.kafkaBootstrapServers())
            .topic(topic)
            .build();

    @Test
    void returnsOneKeysAttemptsInsideTheWindowOldestFirst() {
        List<RefreshAttempted> found = history.forKey(A, T0.plusSeconds(3600 * 24), T0.plusSeconds(3600 * 48));

        assertThat(found).extracting(RefreshAttempted::tokenKey).containsOnly(A);
        assertThat(found)
                .extracting(RefreshAttempted::at)
                .containsExactly(hours(24), hours(30), hours(36), hours(42), hours(48));
    }

    @Test
    void returnsAllKeysAcrossPartitionsInTimeOrder() {
        List<RefreshAttempted> found = history.all(T0.plusSeconds(3600 * 12), T0.plusSeconds(3600 * 13));

        assertThat(found).extracting(RefreshAttempted::tokenKey).containsExactly(A, B);
        assertThat(found)
                .extracting(RefreshAttempted::outcome)
                .containsExactly(AttemptOutcome.REFRESHED, AttemptOutcome.FAILED);
    }

    @Test
    void anEmptyWindowFindsNothingAndAMissingTopicSaysSo() {
        assertThat(history.all(T0.minusSeconds(86400 * 2), T0.minusSeconds(86400)))
                .isEmpty();

        AuditHistory missing = AuditHistory.builder()
                .bootstrapServers(infrastructure.kafkaBootstrapServers())
                .topic(LocalInfrastructure.uniqueName("no-such-audit"))
                .timeout(java.time.Duration.ofSeconds(3))
                .build();
        assertThatThrownBy(() -> missing.all(T0, T0.plusSeconds(60))).hasMessageContaining("does not exist");
    }

    private static Instant hours(int hours) {
        return T0.plusSeconds(3600L * hours);
    }

    private static RefreshAttempted attempt(String key, int hour, AttemptOutcome outcome) {
        return new RefreshAttempted(
                UUID.randomUUID(),
                key,
                outcome,
                outcome == AttemptOutcome.REFRESHED ? (long) hour + 1 : null,
                "sha256:0123456789abcdef",
                null,
                RefreshReason.SCHEDULED,
                null,
                null,
                outcome == AttemptOutcome.FAILED ? "40125" : null,
                null,
                12L,
                "refresher-it",
                hours(hour),
                null);
    }

    private static void send(KafkaProducer<String, byte[]> producer, RefreshAttempted attempt) throws Exception {
        producer.send(new ProducerRecord<>(
                        topic,
                        null,
                        attempt.at().toEpochMilli(),
                        attempt.tokenKey(),
                        EventCodec.json().encode(attempt)))
                .get();
    }
}
