package io.tokencast.refresher.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tokencast.consumer.TokenView;
import io.tokencast.refresher.store.StoredToken;
import io.tokencast.schema.EventCodec;
import io.tokencast.schema.RefreshReason;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.testkit.LocalInfrastructure;
import io.tokencast.trust.signing.Verdict;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The refresher signs every record it writes, on the topics and in Redis alike, and its own readers reject what
 * a writer without its key made: rejected, counted, never applied, and put right from the genuine copy without
 * a WeChat call (docs/security.md §4).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SigningIT {

    // One app per scenario: the Redis forgeries, the topic forgeries, a tombstone, a replay; the last one is "other".
    private static final int TOPIC = Forgery.values().length;
    private static final int TOMBSTONE = 2 * Forgery.values().length;
    private static final int REPLAY = TOMBSTONE + 1;
    private final List<TestApp> apps = TestApp.many(0x519, REPLAY + 2);
    private RefresherCluster cluster;
    // What the refresher wrote before any test wrote forgeries next to it.
    private List<ConsumerRecord<String, byte[]>> tokens;
    private List<ConsumerRecord<String, byte[]>> audit;
    private final java.util.Map<TokenKey, String> redisAtStart = new java.util.HashMap<>();

    @BeforeAll
    void start() {
        cluster = new RefresherCluster(apps);
        cluster.start("signer");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> cluster.stored().values().stream().allMatch(s -> s.version() == 1));
        tokens = cluster.topics.records(cluster.tokensTopic);
        audit = cluster.topics.records(cluster.auditTopic);
        apps.forEach(app -> redisAtStart.put(app.key(), new String(redisJson(app.key()), StandardCharsets.UTF_8)));
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.closeAfterCheckingNoSecretsLeaked();
        }
    }

    @Test
    void everyRecordOnTheTopicsAndInRedisVerifiesWithThePublicKey() {
        assertThat(tokens).hasSizeGreaterThanOrEqualTo(apps.size());
        assertThat(audit).isNotEmpty();
        for (ConsumerRecord<String, byte[]> record : concat(tokens, audit)) {
            assertThat(TestSigning.verifier()
                            .verify(record.value(), record.key())
                            .verdict())
                    .as(record.topic() + " " + record.key())
                    .isEqualTo(Verdict.VERIFIED);
        }
        for (TestApp app : apps) {
            String inRedis = redisAtStart.get(app.key());
            byte[] onTopic = tokens.stream()
                    .filter(r -> r.key().equals(app.key().asString()))
                    .reduce((first, second) -> second)
                    .orElseThrow()
                    .value();
            assertThat(inRedis)
                    .as("Redis holds the very bytes the topic got")
                    .isEqualTo(new String(onTopic, StandardCharsets.UTF_8));
        }
    }

    @Test
    void aConsumerViewThatVerifiesServesTheTokensTheRefresherSigned() {
        TokenView view = TokenView.builder()
                .bootstrapServers(LocalInfrastructure.shared().kafkaBootstrapServers())
                .topic(cluster.tokensTopic)
                .refresherKeys(TestSigning.verificationKeys())
                .clock(cluster.clock)
                .build();
        try {
            view.start().awaitReady(Duration.ofSeconds(30));

            for (TestApp app : apps) {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(view.find(app.key()))
                        .as(app.toString())
                        .hasValueSatisfying(token -> assertThat(token.fingerprint())
                                .isEqualTo(cluster.stored().get(app.key()).fingerprint())));
            }
        } finally {
            view.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Forgery.class)
    void aForgedRecordInRedisIsRejectedCountedAndReplacedFromTheTopicWithoutAWeChatCall(Forgery forgery) {
        TestApp app = apps.get(forgery.ordinal());
        TestApp other = apps.get(apps.size() - 1);
        StoredToken genuine = cluster.stored().get(app.key());
        long fetches = cluster.sandbox.calls(app.appid(), app.endpoint());
        StringRedisTemplate redis = cluster.context("signer").getBean(StringRedisTemplate.class);
        byte[] forged = forgery.forge(app.key().asString(), redisJson(app.key()), redisJson(other.key()));

        redis.opsForHash()
                .put(cluster.keyPrefix + "token:" + app.key(), "json", new String(forged, StandardCharsets.UTF_8));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            StoredToken now = cluster.stored().get(app.key());
            assertThat(now.untrusted()).isFalse();
            assertThat(now.fingerprint()).isEqualTo(genuine.fingerprint());
            assertThat(now.version()).isEqualTo(genuine.version());
        });
        assertThat(rejected("redis-tokens", forgery.verdict())).isGreaterThanOrEqualTo(1);
        assertThat(cluster.sandbox.calls(app.appid(), app.endpoint()))
                .as("no WeChat call: the topic answered")
                .isEqualTo(fetches);
    }

    @ParameterizedTest
    @EnumSource(Forgery.class)
    void aForgedLastRecordOnTheTokensTopicIsFollowedByTheCurrentVersionWithoutAWeChatCall(Forgery forgery) {
        TestApp app = apps.get(TOPIC + forgery.ordinal());
        TestApp other = apps.get(apps.size() - 1);
        long fetches = cluster.sandbox.calls(app.appid(), app.endpoint());

        cluster.topics.send(
                cluster.tokensTopic,
                app.key().asString(),
                forgery.forge(app.key().asString(), redisJson(app.key()), redisJson(other.key())));

        awaitCurrentVersionLastOnTheTopic(app);
        assertThat(rejected("tokens-topic", forgery.verdict())).isGreaterThanOrEqualTo(1);
        assertThat(republished("REJECTED")).isGreaterThanOrEqualTo(1);
        assertThat(cluster.sandbox.calls(app.appid(), app.endpoint())).isEqualTo(fetches);
    }

    @Test
    void aBareTombstoneForAManagedKeyIsFollowedByTheCurrentVersion() {
        TestApp app = apps.get(TOMBSTONE);

        cluster.topics.send(cluster.tokensTopic, app.key().asString(), null);

        awaitCurrentVersionLastOnTheTopic(app);
        assertThat(republished("TOMBSTONE")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aGenuineOlderRecordWrittenAgainIsFollowedByTheCurrentVersion() {
        TestApp app = apps.get(REPLAY);
        byte[] first = redisJson(app.key());
        cluster.clock.advance(Duration.ofHours(3));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> cluster.stored().get(app.key()).version() >= 2);

        cluster.topics.send(cluster.tokensTopic, app.key().asString(), first);

        awaitCurrentVersionLastOnTheTopic(app);
        assertThat(republished("OLDER_VERSION")).isGreaterThanOrEqualTo(1);
    }

    /** Waits until the key's last record on the tokens topic is Redis's current version, re-published. */
    private void awaitCurrentVersionLastOnTheTopic(TestApp app) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            ConsumerRecord<String, byte[]> lastRecord = cluster.topics.records(cluster.tokensTopic).stream()
                    .filter(r -> r.key().equals(app.key().asString()))
                    .reduce((first, second) -> second)
                    .orElseThrow();
            assertThat(lastRecord.value()).isNotNull();
            assertThat(TestSigning.verifier()
                            .verify(lastRecord.value(), lastRecord.key())
                            .verdict())
                    .isEqualTo(Verdict.VERIFIED);
            TokenRefreshed last = EventCodec.json().decode(lastRecord.value(), TokenRefreshed.class);
            StoredToken current = cluster.stored().get(app.key());
            assertThat(last.version()).isEqualTo(current.version());
            assertThat(last.fingerprint()).isEqualTo(current.fingerprint());
            assertThat(last.reason()).isEqualTo(RefreshReason.RECOVERY);
        });
    }

    private double republished(String cause) {
        Counter counter = cluster.context("signer")
                .getBean(MeterRegistry.class)
                .find("tokencast.topic.republished")
                .tags("topic", cluster.tokensTopic, "cause", cause)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private byte[] redisJson(TokenKey key) {
        StringRedisTemplate redis = cluster.context("signer").getBean(StringRedisTemplate.class);
        return ((String) redis.opsForHash().get(cluster.keyPrefix + "token:" + key, "json"))
                .getBytes(StandardCharsets.UTF_8);
    }

    private double rejected(String source, Verdict verdict) {
        Counter counter = cluster.context("signer")
                .getBean(MeterRegistry.class)
                .find("tokencast.records.rejected")
                .tags("source", source, "reason", verdict.name())
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private static List<ConsumerRecord<String, byte[]>> concat(
            List<ConsumerRecord<String, byte[]>> a, List<ConsumerRecord<String, byte[]>> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
