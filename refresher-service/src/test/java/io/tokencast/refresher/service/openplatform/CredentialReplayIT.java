package io.tokencast.refresher.service.openplatform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tokencast.refresher.metrics.RefreshMetrics;
import io.tokencast.refresher.service.SharedRedis;
import io.tokencast.refresher.service.TestSigning;
import io.tokencast.refresher.service.Topics;
import io.tokencast.refresher.service.publish.PoisonRecords;
import io.tokencast.refresher.service.publish.TopicTail;
import io.tokencast.refresher.signing.RecordSigning;
import io.tokencast.schema.CredentialKind;
import io.tokencast.schema.CredentialSource;
import io.tokencast.schema.CredentialStored;
import io.tokencast.testkit.LocalInfrastructure;
import io.tokencast.trust.encryption.RecordEncryption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The replay rule on a real credentials topic, with a tail the test holds back: the leader compares the vault with
 * what the topic really holds once its tail has read to the end offsets, never with what a lagging tail has read.
 */
class CredentialReplayIT {

    private static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");
    private static final CredentialTimes TIMES =
            new CredentialTimes(Clock.fixed(T0.plusSeconds(3660), ZoneOffset.UTC), CredentialTimes.DEFAULT_SKEW);
    private static final String KEY = "component-ticket/wxcomponent01";

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final RecordSigning signing = TestSigning.recordSigning(meters);
    private final String bootstrap = LocalInfrastructure.shared().kafkaBootstrapServers();
    private final HeldBackSink tailSink = new HeldBackSink();
    private SharedRedis redisConnection;
    private KafkaProducer<String, byte[]> producer;
    private String topicName;
    private RedisCredentialVault vault;
    private CredentialReplay replay;

    @BeforeEach
    void start() throws Exception {
        redisConnection = SharedRedis.connect();
        StringRedisTemplate redis = redisConnection.template();
        producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(),
                new ByteArraySerializer());
        String prefix = LocalInfrastructure.uniqueName("replay-it") + ":";
        topicName = LocalInfrastructure.uniqueName("replay-it-credentials");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(
                            List.of(new NewTopic(topicName, 2, (short) 1).configs(Map.of("cleanup.policy", "compact"))))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        KafkaCredentialTopic topic =
                new KafkaCredentialTopic(producer, this::consumer, topicName, Duration.ofSeconds(30), TIMES, signing);
        vault = new RedisCredentialVault(redis, prefix, topic, "replica-a", RecordEncryption.off(), TIMES, signing);
        vault.store(ticket("ticket@@@1", T0));
        // Checks run only when the test asks (an hour apart otherwise), on the leader.
        replay = new CredentialReplay(
                        vault,
                        topic,
                        signing,
                        new AlwaysLeader(),
                        new RefreshMetrics(meters, Clock.systemUTC()),
                        topicName,
                        new PoisonRecords((record, problem, message) -> {}, redis, prefix, Duration.ofDays(1), meters))
                .start(
                        sink -> new TopicTail(this::consumer, topicName, null, Clock.systemUTC(), tailSink.wrap(sink)),
                        Duration.ofHours(1));
        await().atMost(Duration.ofSeconds(30)).until(() -> tailSink.delivered.get() == 1);
    }

    @AfterEach
    void stop() {
        tailSink.release();
        replay.close();
        producer.close();
        redisConnection.close();
    }

    @Test
    void aLaggingTailNeverMakesTheLeaderPublishAgainWhatTheTopicAlreadyEndsWith() {
        // given a tail stuck before the vault's next version, which is on the topic already
        tailSink.holdBack();
        vault.store(ticket("ticket@@@2", T0.plusSeconds(60)));
        await().atMost(Duration.ofSeconds(30)).until(() -> tailSink.holding);

        // when the leader checks again and again while its tail is behind
        for (int i = 0; i < 4; i++) {
            replay.check();
        }

        // then it publishes nothing: the tail has not read what the topic held when the discrepancy was seen
        assertThat(records()).hasSize(2);
        tailSink.release();
        await().atMost(Duration.ofSeconds(30)).until(() -> tailSink.delivered.get() == 2);
        for (int i = 0; i < 4; i++) {
            replay.check();
        }
        assertThat(records()).hasSize(2);
        assertThat(meters.find("tokencast.topic.republished").counter()).isNull();
    }

    @Test
    void anOlderLastRecordIsStillFollowedByTheVaultsCopyOnceTheTailHasReadToTheEnd() {
        vault.store(ticket("ticket@@@2", T0.plusSeconds(60)));
        byte[] current = vault.held(KEY).orElseThrow().json();
        byte[] older = records().get(0).value();

        // when a genuine older version is written after the current one
        send(older);

        // then the leader puts the vault's copy after it, once
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            replay.check();
            List<ConsumerRecord<String, byte[]>> all = records();
            assertThat(all).hasSize(4);
            assertThat(all.get(3).value()).isEqualTo(current);
        });
        for (int i = 0; i < 4; i++) {
            replay.check();
        }
        assertThat(records()).hasSize(4);
        assertThat(meters.get("tokencast.topic.republished")
                        .tags("topic", topicName, "cause", "OLDER_VERSION")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    /** The tail's sink, which the test can make stop before the next record, as a lagging reader would. */
    private static final class HeldBackSink {
        final AtomicInteger delivered = new AtomicInteger();
        private final CountDownLatch released = new CountDownLatch(1);
        private volatile boolean holdBack;
        volatile boolean holding;

        Consumer<ConsumerRecord<String, byte[]>> wrap(Consumer<ConsumerRecord<String, byte[]>> sink) {
            return record -> {
                if (holdBack) {
                    holding = true;
                    try {
                        released.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                sink.accept(record);
                delivered.incrementAndGet();
            };
        }

        void holdBack() {
            holdBack = true;
        }

        void release() {
            holdBack = false;
            released.countDown();
        }
    }

    private KafkaConsumer<String, byte[]> consumer() {
        return new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false),
                new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    private static CredentialStored ticket(String value, Instant receivedAt) {
        return CredentialStored.of(
                CredentialKind.COMPONENT_VERIFY_TICKET,
                "wxcomponent01",
                value,
                receivedAt,
                receivedAt.plus(Duration.ofHours(12)),
                CredentialSource.CALLBACK,
                "replica-a");
    }

    private void send(byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topicName, KEY, value)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private List<ConsumerRecord<String, byte[]>> records() {
        return new Topics(bootstrap).records(topicName);
    }
}
