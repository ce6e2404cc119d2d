package io.tokencast.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokencast.schema.EventCodec;
import io.tokencast.schema.RefreshReason;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import io.tokencast.schema.TokenRefreshed;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Proves the test infrastructure is a real broker: a compacted topic, keyed events, read to the end. */
class CompactedTopicRoundTripIT {

    private final LocalInfrastructure infrastructure = LocalInfrastructure.shared();
    private final EventCodec codec = EventCodec.json();

    @Test
    void keyedTokenEventsOnACompactedTopicReadBackFromTheBeginningToTheEndOffsets() throws Exception {
        // given a compacted topic
        String topic = LocalInfrastructure.uniqueName("tokens");
        try (Admin admin = Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infrastructure.kafkaBootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)
                            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                    .all()
                    .get();
            ConfigEntry policy = admin.describeConfigs(Set.of(new ConfigResource(ConfigResource.Type.TOPIC, topic)))
                    .all()
                    .get()
                    .values()
                    .iterator()
                    .next()
                    .get(TopicConfig.CLEANUP_POLICY_CONFIG);
            assertThat(policy.value()).isEqualTo("compact");
        }

        // when three versions of two keys are produced with the codec
        List<TokenRefreshed> sent =
                List.of(event("wx000000000000000a", 1), event("wx000000000000000b", 1), event("wx000000000000000a", 2));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProperties())) {
            for (TokenRefreshed event : sent) {
                producer.send(new ProducerRecord<>(topic, event.tokenKey().asString(), codec.encode(event)))
                        .get();
            }
        }

        // then a consumer reads them back, in order, from the beginning up to the end offsets
        List<TokenRefreshed> received = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerProperties())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            assertThat(end).isEqualTo(3);
            while (consumer.position(partition) < end) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    TokenRefreshed event = codec.decode(record.value(), TokenRefreshed.class);
                    assertThat(record.key()).isEqualTo(event.tokenKey().asString());
                    received.add(event);
                }
            }
        }
        assertThat(received).containsExactlyElementsOf(sent);
    }

    private TokenRefreshed event(String appid, long version) {
        Instant issued = Instant.parse("2026-11-26T00:00:00Z").plusSeconds(version * 5400);
        String token = "84_" + appid + "_v" + version;
        return TokenRefreshed.of(
                TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, appid),
                version,
                token,
                issued,
                issued.plusSeconds(7200),
                issued.plusSeconds(5400),
                RefreshReason.SCHEDULED,
                "it",
                null);
    }

    private Properties producerProperties() {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infrastructure.kafkaBootstrapServers());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return properties;
    }

    private Properties consumerProperties() {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infrastructure.kafkaBootstrapServers());
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return properties;
    }
}
