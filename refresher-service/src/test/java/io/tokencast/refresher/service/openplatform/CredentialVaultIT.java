package io.tokencast.refresher.service.openplatform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tokencast.refresher.leader.Leadership;
import io.tokencast.refresher.metrics.RefreshMetrics;
import io.tokencast.refresher.service.Forgery;
import io.tokencast.refresher.service.SharedRedis;
import io.tokencast.refresher.service.TestSigning;
import io.tokencast.refresher.service.Topics;
import io.tokencast.refresher.service.publish.PoisonRecords;
import io.tokencast.refresher.service.publish.TopicTail;
import io.tokencast.refresher.signing.RecordSigning;
import io.tokencast.schema.CredentialKind;
import io.tokencast.schema.CredentialSource;
import io.tokencast.schema.CredentialStored;
import io.tokencast.schema.EventCodec;
import io.tokencast.schema.Fingerprint;
import io.tokencast.testkit.LocalInfrastructure;
import io.tokencast.trust.encryption.EncryptionKeyring;
import io.tokencast.trust.encryption.RecordEncryption;
import io.tokencast.trust.signing.Verdict;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.data.redis.core.StringRedisTemplate;

/** {@link RedisCredentialVault} and {@link KafkaCredentialTopic} against the testkit's real Redis and Kafka. */
class CredentialVaultIT {

    private static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");
    /** The vault's now: an hour after T0, so every credential of these tests is in the past and still alive. */
    private static final CredentialTimes TIMES =
            new CredentialTimes(Clock.fixed(T0.plusSeconds(3660), ZoneOffset.UTC), CredentialTimes.DEFAULT_SKEW);

    private static SharedRedis redisConnection;
    private static StringRedisTemplate redis;
    private static KafkaProducer<String, byte[]> producer;
    private static String bootstrap;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final RecordSigning signing = TestSigning.recordSigning(meters);
    private String prefix;
    private String topicName;
    private RedisCredentialVault vault;

    @BeforeAll
    static void connect() {
        LocalInfrastructure infrastructure = LocalInfrastructure.shared();
        redisConnection = SharedRedis.connect();
        redis = redisConnection.template();
        bootstrap = infrastructure.kafkaBootstrapServers();
        producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    @AfterAll
    static void disconnect() {
        producer.close();
        redisConnection.close();
    }

    @BeforeEach
    void isolate() throws Exception {
        prefix = LocalInfrastructure.uniqueName("vault-it") + ":";
        topicName = LocalInfrastructure.uniqueName("vault-it-credentials");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(
                            List.of(new NewTopic(topicName, 2, (short) 1).configs(Map.of("cleanup.policy", "compact"))))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        vault = vault("replica-a");
    }

    private RedisCredentialVault vault(String instance) {
        return vault(instance, RecordEncryption.off());
    }

    private RedisCredentialVault vault(String instance, RecordEncryption encryption) {
        return vault(instance, encryption, signing);
    }

    private RedisCredentialVault vault(String instance, RecordEncryption encryption, RecordSigning signing) {
        return new RedisCredentialVault(redis, prefix, topic(signing), instance, encryption, TIMES, signing);
    }

    private KafkaCredentialTopic topic(RecordSigning signing) {
        return new KafkaCredentialTopic(
                producer,
                () -> new KafkaConsumer<>(consumerConfig(), new StringDeserializer(), new ByteArrayDeserializer()),
                topicName,
                Duration.ofSeconds(30),
                TIMES,
                signing);
    }

    private static Map<String, Object> consumerConfig() {
        return Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
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

    private static CredentialStored refreshToken(String value, Instant receivedAt) {
        return CredentialStored.of(
                CredentialKind.AUTHORIZER_REFRESH_TOKEN,
                "wxcomponent01.wxauthorizer01",
                value,
                receivedAt,
                null,
                CredentialSource.WECHAT_RESPONSE,
                "replica-a");
    }

    @Test
    void keepsACredentialInRedisAndOnTheCompactedTopic() {
        CredentialStored ticket = ticket("ticket@@@1", T0);

        vault.store(ticket);

        CredentialStored first = ticket.withVersion(1);
        assertThat(vault.find("component-ticket/wxcomponent01")).contains(first);
        Object inRedis = redis.opsForHash().get(prefix + "credential:component-ticket/wxcomponent01", "json");
        assertThat(records()).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("component-ticket/wxcomponent01");
            assertThat(EventCodec.json().decode(r.value(), CredentialStored.class))
                    .isEqualTo(first);
            assertThat(new String(r.value(), StandardCharsets.UTF_8))
                    .as("Redis and the topic hold the same signed bytes")
                    .isEqualTo(inRedis);
            assertThat(TestSigning.verifier().verify(r.value(), r.key()).verdict())
                    .isEqualTo(Verdict.VERIFIED);
        });
    }

    @ParameterizedTest
    @EnumSource(Forgery.class)
    void forgedCredentialsOnTheTopicAreRejectedCountedAndNeverRestored(Forgery forgery) {
        // given a genuine ticket on the topic, and a forgery of it written after it
        vault.store(ticket("ticket@@@genuine", T0));
        byte[] genuine = records().get(0).value();
        byte[] other =
                signing.sign(refreshToken("refresh@@@other", T0).withVersion(1)).json();
        publishBytes("component-ticket/wxcomponent01", forgery.forge("component-ticket/wxcomponent01", genuine, other));

        // when Redis lost its data and the vault rebuilds from the topic
        flushOurKeys();
        vault.restoreFromTopic();

        // then the genuine ticket is back and the forgery was counted, never applied
        assertThat(vault.find("component-ticket/wxcomponent01"))
                .map(CredentialStored::value)
                .contains("ticket@@@genuine");
        assertThat(rejected("credentials-topic", forgery)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Forgery.class)
    void aForgedCredentialInRedisIsReplacedByTheTopicsGenuineOne(Forgery forgery) {
        vault.store(ticket("ticket@@@genuine", T0));
        byte[] genuine = records().get(0).value();
        byte[] other =
                signing.sign(refreshToken("refresh@@@other", T0).withVersion(1)).json();
        // a forgery that claims to be received later than the genuine ticket, so only its signature can tell
        redis.opsForHash()
                .putAll(
                        prefix + "credential:component-ticket/wxcomponent01",
                        Map.of(
                                "json",
                                new String(
                                        forgery.forge("component-ticket/wxcomponent01", genuine, other),
                                        StandardCharsets.UTF_8),
                                "receivedAt",
                                Long.toString(T0.plusSeconds(1800).toEpochMilli())));

        assertThat(vault.find("component-ticket/wxcomponent01"))
                .map(CredentialStored::value)
                .contains("ticket@@@genuine");
        assertThat(rejected("redis-credentials", forgery)).isGreaterThanOrEqualTo(1);
    }

    @Test
    void inTheUpgradeWindowAnUnsignedCredentialIsTakenAndStoredAgainSigned() {
        // given a refresh token an unsigned refresher stored in Redis and on the topic
        CredentialStored old = refreshToken("refresh@@@from-before-signing", T0).withVersion(1);
        byte[] unsigned = EventCodec.json().encode(old);
        publishBytes(old.credentialKey(), unsigned);
        redis.opsForHash()
                .putAll(
                        prefix + "credential:" + old.credentialKey(),
                        Map.of(
                                "json",
                                new String(unsigned, StandardCharsets.UTF_8),
                                "receivedAt",
                                Long.toString(T0.toEpochMilli())));
        redis.opsForValue().set(prefix + "credential-restored", "old-refresher");
        RedisCredentialVault upgrading = vault(
                "replica-a",
                RecordEncryption.off(),
                TestSigning.recordSigning(meters, Clock.fixed(T0, ZoneOffset.UTC), T0.plusSeconds(3600)));

        // when the upgraded refresher reads it in the window
        assertThat(upgrading.find(old.credentialKey()))
                .map(CredentialStored::value)
                .contains("refresh@@@from-before-signing");

        // then Redis and the topic hold it signed, and a refresher past the window still reads it
        Object inRedis = redis.opsForHash().get(prefix + "credential:" + old.credentialKey(), "json");
        ConsumerRecord<String, byte[]> last = records().get(records().size() - 1);
        assertThat(new String(last.value(), StandardCharsets.UTF_8)).isEqualTo(inRedis);
        assertThat(TestSigning.verifier().verify(last.value(), last.key()).verdict())
                .isEqualTo(Verdict.VERIFIED);
        assertThat(vault.find(old.credentialKey()))
                .map(CredentialStored::value)
                .contains("refresh@@@from-before-signing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"WRONG_KEY", "EDITED_FIELD", "UNSIGNED", "WRONG_TYP", "MOVED_KEY", "TOMBSTONE"})
    void aBadLastRecordOnTheCredentialsTopicIsFollowedByTheVaultsSignedCopy(String bad) throws Exception {
        // given a genuine ticket, and the leader following the topic
        vault.store(ticket("ticket@@@genuine", T0));
        byte[] genuine = records().get(0).value();
        byte[] other =
                signing.sign(refreshToken("refresh@@@other", T0).withVersion(1)).json();
        Leadership leader = new AlwaysLeader();
        String key = "component-ticket/wxcomponent01";
        try (CredentialReplay replay = new CredentialReplay(
                        vault,
                        topic(signing),
                        signing,
                        leader,
                        new RefreshMetrics(meters, Clock.systemUTC()),
                        topicName,
                        new PoisonRecords((record, problem, message) -> {}, redis, prefix, Duration.ofDays(1), meters))
                .start(
                        sink -> new TopicTail(
                                () -> new KafkaConsumer<>(
                                        consumerConfig(), new StringDeserializer(), new ByteArrayDeserializer()),
                                topicName,
                                null,
                                Clock.systemUTC(),
                                sink),
                        Duration.ofMillis(100))) {

            // when a bad record becomes the key's last one
            publishBytes(
                    key, bad.equals("TOMBSTONE") ? null : Forgery.valueOf(bad).forge(key, genuine, other));

            // then the vault's signed copy follows it, so compaction keeps a genuine one
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                List<ConsumerRecord<String, byte[]>> all = records();
                ConsumerRecord<String, byte[]> last = all.get(all.size() - 1);
                assertThat(last.value()).isEqualTo(genuine);
            });
            String cause = bad.equals("TOMBSTONE") ? "TOMBSTONE" : "REJECTED";
            assertThat(meters.get("tokencast.topic.republished")
                            .tags("topic", topicName, "cause", cause)
                            .counter()
                            .count())
                    .isEqualTo(1);
        }
    }

    private double rejected(String source, Forgery forgery) {
        var counter = meters.find("tokencast.records.rejected")
                .tags("source", source, "reason", forgery.verdict().name())
                .counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void anOlderCredentialNeverReplacesANewerOne() {
        CredentialStored newer = ticket("ticket@@@new", T0.plusSeconds(600));
        CredentialStored older = ticket("ticket@@@old", T0);

        vault.store(newer);
        vault.store(older);

        assertThat(vault.find("component-ticket/wxcomponent01")).contains(newer.withVersion(1));
        // Published after the newer one, the older would win the topic's compaction.
        assertThat(records()).hasSize(1);
    }

    @Test
    void everyStoredCredentialTakesTheNextVersionOfItsKeyAlsoAfterRedisLostItsData() {
        vault.store(ticket("ticket@@@1", T0));
        vault.store(ticket("ticket@@@2", T0.plusSeconds(60)));
        flushOurKeys();

        vault("replica-b").store(ticket("ticket@@@3", T0.plusSeconds(120)));

        assertThat(vault.find("component-ticket/wxcomponent01"))
                .map(CredentialStored::version)
                .contains(3L);
    }

    @Test
    void withEncryptionOnRedisAndTheTopicHoldCiphertextBoundToTheVersionAndFindRevealsIt() {
        EncryptionKeyring keyring = EncryptionKeyring.generate("vault-k1", List.of("component-ticket/*"));
        RedisCredentialVault encrypting = vault("replica-a", RecordEncryption.with(keyring));

        encrypting.store(ticket("ticket@@@secret", T0));

        Object json = redis.opsForHash().get(prefix + "credential:component-ticket/wxcomponent01", "json");
        assertThat(json.toString()).doesNotContain("ticket@@@secret").contains("encryptedValue");
        assertThat(records()).singleElement().satisfies(r -> {
            CredentialStored onTopic = EventCodec.json().decode(r.value(), CredentialStored.class);
            assertThat(onTopic.value()).isNull();
            assertThat(onTopic.version()).isEqualTo(1L);
            assertThat(RecordEncryption.kid(onTopic)).contains("vault-k1");
            assertThat(onTopic.fingerprint()).isEqualTo(Fingerprint.of("ticket@@@secret"));
        });
        assertThat(encrypting.find("component-ticket/wxcomponent01"))
                .map(CredentialStored::value)
                .contains("ticket@@@secret");
        assertThat(vault.find("component-ticket/wxcomponent01"))
                .as("a vault without the key cannot use it")
                .isEmpty();
    }

    @Test
    void rekeyingStoresTheSameCredentialAsTheNextVersionUnderTheNewestKidOnce() {
        EncryptionKeyring old = EncryptionKeyring.generate("vault-old", List.of("component-ticket/*"));
        EncryptionKeyring promoted = old.with(EncryptionKeyring.generate("vault-new", List.of("component-ticket/*")));
        vault("replica-a", RecordEncryption.with(old)).store(ticket("ticket@@@rotated", T0));
        RedisCredentialVault rotating = vault("replica-b", RecordEncryption.with(promoted));

        assertThat(rotating.rekey("component-ticket/wxcomponent01")).isTrue();
        assertThat(rotating.rekey("component-ticket/wxcomponent01"))
                .as("already under the newest kid")
                .isFalse();

        CredentialStored onTopic =
                EventCodec.json().decode(records().get(records().size() - 1).value(), CredentialStored.class);
        assertThat(RecordEncryption.kid(onTopic)).contains("vault-new");
        assertThat(onTopic.version()).isEqualTo(2L);
        assertThat(onTopic.fingerprint()).isEqualTo(Fingerprint.of("ticket@@@rotated"));
        assertThat(rotating.find("component-ticket/wxcomponent01"))
                .map(CredentialStored::value)
                .contains("ticket@@@rotated");
    }

    @Test
    void aReplicaReadsWhatAnotherStored() {
        vault.store(ticket("ticket@@@1", T0));

        assertThat(vault("replica-b").find("component-ticket/wxcomponent01"))
                .map(CredentialStored::value)
                .contains("ticket@@@1");
    }

    @Test
    void rebuildsRedisFromTheTopicWhenRedisLostItsData() {
        vault.store(ticket("ticket@@@1", T0));
        vault.store(refreshToken("refresh@@@1", T0));
        vault.store(refreshToken("refresh@@@2", T0.plusSeconds(60)));

        flushOurKeys();

        assertThat(vault("replica-b").find("authorizer-refresh-token/wxcomponent01.wxauthorizer01"))
                .map(CredentialStored::value)
                .contains("refresh@@@2");
        assertThat(vault.find("component-ticket/wxcomponent01"))
                .map(CredentialStored::value)
                .contains("ticket@@@1");
    }

    @Test
    void restoreTakesTheNewestReceivedAtWhateverTheTopicOrder() {
        publishRaw(refreshToken("refresh@@@newer", T0.plusSeconds(60)));
        publishRaw(refreshToken("refresh@@@older", T0));

        int restored = vault.restoreFromTopic();

        assertThat(restored).isEqualTo(1);
        assertThat(vault.find("authorizer-refresh-token/wxcomponent01.wxauthorizer01"))
                .map(CredentialStored::value)
                .contains("refresh@@@newer");
        assertThat(vault.restoreFromTopic()).as("nothing left to restore").isZero();
    }

    @Test
    void aForgedReceivedAtInTheFutureShadowsNoGenuineCredential() {
        // given a genuine ticket, and a forged one on the topic "received" a day ahead of the vault's clock
        vault.store(ticket("ticket@@@genuine", T0));
        publishRaw(ticket("ticket@@@forged", T0.plus(Duration.ofDays(1))));
        // and a forged hash in Redis, received a year ahead
        flushOurKeys();
        publishRaw(ticket("ticket@@@genuine", T0));

        // when the vault rebuilds from the topic and a genuine newer ticket arrives
        vault.restoreFromTopic();
        redis.opsForHash()
                .put(
                        prefix + "credential:component-ticket/wxcomponent01",
                        "receivedAt",
                        Long.toString(T0.plus(Duration.ofDays(365)).toEpochMilli()));
        vault.store(ticket("ticket@@@newer", T0.plusSeconds(600)));

        // then the forged ones count for nothing and the newer genuine ticket is the vault's
        assertThat(vault.find("component-ticket/wxcomponent01"))
                .map(CredentialStored::value)
                .contains("ticket@@@newer");
    }

    @Test
    void aTicketPastItsLifeOrReceivedInTheFutureIsNotStored() {
        vault.store(ticket("ticket@@@expired", T0.minus(Duration.ofHours(13))));
        vault.store(ticket("ticket@@@future", T0.plus(Duration.ofHours(2))));

        assertThat(vault.find("component-ticket/wxcomponent01")).isEmpty();
        assertThat(records()).isEmpty();
    }

    @Test
    void seedingDoesNotOverwriteWhatTheVaultAlreadyHolds() {
        vault.store(refreshToken("refresh@@@rotated", T0));

        boolean seeded = vault.storeIfAbsent(refreshToken("refresh@@@configured", T0.plusSeconds(3600)));

        assertThat(seeded).isFalse();
        assertThat(vault.find("authorizer-refresh-token/wxcomponent01.wxauthorizer01"))
                .map(CredentialStored::value)
                .contains("refresh@@@rotated");
    }

    @Test
    void seedingAfterAFlushRestoresFirstSoTheTopicsCopyWins() {
        vault.store(refreshToken("refresh@@@rotated", T0));
        flushOurKeys();

        boolean seeded = vault("replica-b").storeIfAbsent(refreshToken("refresh@@@configured", T0.plusSeconds(3600)));

        assertThat(seeded).isFalse();
        assertThat(vault.find("authorizer-refresh-token/wxcomponent01.wxauthorizer01"))
                .map(CredentialStored::value)
                .contains("refresh@@@rotated");
    }

    @Test
    void listsTheAuthorizersEveryReplicaCanSeeAlsoAfterRedisLostItsData() {
        vault.store(ticket("ticket@@@1", T0));
        vault.store(refreshToken("refresh@@@1", T0));

        assertThat(vault("replica-b").keys(CredentialKind.AUTHORIZER_REFRESH_TOKEN))
                .containsExactly("authorizer-refresh-token/wxcomponent01.wxauthorizer01");
        flushOurKeys();
        assertThat(vault("replica-b").keys(CredentialKind.AUTHORIZER_REFRESH_TOKEN))
                .containsExactly("authorizer-refresh-token/wxcomponent01.wxauthorizer01");
        assertThat(vault.keys(CredentialKind.COMPONENT_VERIFY_TICKET))
                .containsExactly("component-ticket/wxcomponent01");
    }

    @Test
    void aRemovedCredentialIsTombstonedSoNoRestoreBringsItBack() {
        vault.store(refreshToken("refresh@@@1", T0));

        assertThat(vault.remove("authorizer-refresh-token/wxcomponent01.wxauthorizer01"))
                .isTrue();
        flushOurKeys();

        assertThat(vault.find("authorizer-refresh-token/wxcomponent01.wxauthorizer01"))
                .isEmpty();
        assertThat(vault.keys(CredentialKind.AUTHORIZER_REFRESH_TOKEN)).isEmpty();
        assertThat(records()).last().satisfies(r -> {
            assertThat(r.key()).isEqualTo("authorizer-refresh-token/wxcomponent01.wxauthorizer01");
            assertThat(r.value()).isNull();
        });
        assertThat(vault.remove("authorizer-refresh-token/wxcomponent01.wxauthorizer01"))
                .isFalse();
    }

    private void flushOurKeys() {
        Set<String> keys = redis.keys(prefix + "*");
        assertThat(keys).isNotEmpty();
        redis.delete(keys);
    }

    /** Publishes a credential signed with the refresher's key, past the vault's own checks. */
    private void publishRaw(CredentialStored credential) {
        publishBytes(credential.credentialKey(), signing.sign(credential).json());
    }

    private void publishBytes(String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topicName, key, value)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private List<ConsumerRecord<String, byte[]>> records() {
        return new Topics(bootstrap).records(topicName);
    }
}
