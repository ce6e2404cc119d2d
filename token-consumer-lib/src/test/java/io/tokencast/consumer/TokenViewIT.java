package io.tokencast.consumer;

import static io.tokencast.consumer.Events.START;
import static io.tokencast.consumer.Events.key;
import static io.tokencast.consumer.Events.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tokencast.schema.EventCodec;
import io.tokencast.schema.RefreshReason;
import io.tokencast.schema.RefreshRequested;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.testkit.LocalInfrastructure;
import io.tokencast.testkit.MutableClock;
import io.tokencast.testkit.signing.TestRefresherKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The view against a real broker: cold start, following, versions, tombstones, garbage, expiry, reports. */
class TokenViewIT {

    private static final Duration READY = Duration.ofSeconds(30);

    private final MutableClock clock = new MutableClock(START.plus(Duration.ofMinutes(70)));
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
    }

    private TokenTopic topic(int partitions) {
        TokenTopic topic = TokenTopic.compacted("tokens", partitions);
        closeables.add(topic);
        return topic;
    }

    private TokenView.Builder view(TokenTopic topic) {
        return TokenView.builder()
                .bootstrapServers(TokenTopic.bootstrapServers())
                .refresherKeys(TestRefresherKey.shared().verificationKeys())
                .topic(topic.name)
                .clientId(LocalInfrastructure.uniqueName("view"))
                .clock(clock);
    }

    private TokenView.Builder unverified(TokenTopic topic) {
        return TokenView.builder()
                .bootstrapServers(TokenTopic.bootstrapServers())
                .withoutSignatureVerification()
                .topic(topic.name)
                .clientId(LocalInfrastructure.uniqueName("view"))
                .clock(clock);
    }

    private TokenView started(TokenView.Builder builder) {
        TokenView view = builder.build();
        closeables.add(0, view);
        return view.start();
    }

    @Test
    void becomesReadyOnlyAfterAllTenThousandKeysAreReadAndHandsListenersOnlyVerifiedTokens() {
        // given 10k signed keys on three partitions, written before the view starts
        TokenTopic topic = topic(3);
        for (int i = 0; i < 10_000; i++) {
            topic.send(version(key(String.format("wx%016d", i)), 1, START));
        }
        topic.flush();

        // when a view starts, with a listener counting the tokens handed to it
        TokenView view = view(topic).build();
        closeables.add(0, view);
        AtomicInteger handed = new AtomicInteger();
        view.addListener(token -> handed.incrementAndGet());
        assertThatThrownBy(() -> view.token(key(String.format("wx%016d", 0))))
                .isInstanceOf(TokenNotReadyException.class)
                .hasMessageContaining(topic.name)
                .hasMessageContaining("awaitReady");
        view.start().awaitReady(READY);

        // then every record was read before ready, all keys are served, and each reached the listener once,
        // verified (in the background or on its first read)
        assertThat(view.stats().recordsRead()).isEqualTo(10_000);
        assertThat(view.token(key(String.format("wx%016d", 9_999))).value())
                .isEqualTo("token-" + String.format("wx%016d", 9_999) + "-v1");
        assertThat(view.keys()).hasSize(10_000);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(handed.get()).isEqualTo(10_000));
        assertThat(view.stats().verificationPending()).isZero();
        assertThat(view.stats().signatureRejected()).isZero();
    }

    @Test
    void aConsumerStartedAfterTheRefresherSeesTheCurrentTokensAndFollowsNewOnes() {
        // given the refresher already published two versions of a key
        TokenTopic topic = topic(1);
        TokenKey key = key("wx00000000000000a1");
        topic.send(version(key, 1, START));
        topic.send(version(key, 2, START.plus(Duration.ofMinutes(60))));
        topic.flush();

        // when a view starts later
        TokenView view = started(view(topic));
        view.awaitReady(READY);

        // then it serves the current version, and the next one once published
        assertThat(view.token(key).version()).isEqualTo(2);
        topic.send(version(key, 3, START.plus(Duration.ofMinutes(65))));
        topic.flush();
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(view.token(key).version()).isEqualTo(3));
    }

    @Test
    void ignoresARecordWithALowerVersionAfterAHigherOne() {
        TokenTopic topic = topic(1);
        TokenKey key = key("wx00000000000000b1");
        topic.send(version(key, 5, START.plus(Duration.ofMinutes(60))));
        topic.send(version(key, 4, START.plus(Duration.ofMinutes(61))));
        topic.flush();

        TokenView view = started(view(topic));
        view.awaitReady(READY);
        assertThat(view.token(key).version()).isEqualTo(5);

        // also while following
        topic.send(version(key, 3, START.plus(Duration.ofMinutes(62))));
        TokenKey marker = key("wx00000000000000b2");
        topic.send(version(marker, 1, START.plus(Duration.ofMinutes(62))));
        topic.flush();
        await().atMost(Duration.ofSeconds(10)).until(() -> view.find(marker).isPresent());
        assertThat(view.token(key).version()).isEqualTo(5);
        assertThat(view.stats().olderVersionsIgnored()).isEqualTo(2);
    }

    @Test
    void aBareTombstoneRemovesNothingWhereSignaturesAreChecked() {
        // given a key, then a tombstone anyone could have written
        TokenTopic topic = topic(1);
        TokenKey key = key("wx00000000000000c1");
        topic.send(version(key, 1, START));
        topic.tombstone(key);
        topic.flush();

        // when a view starts, and another tombstone arrives while it follows
        TokenView view = started(view(topic));
        view.awaitReady(READY);
        topic.tombstone(key);
        topic.flush();

        // then the token is still served, and both tombstones were counted as ignored
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> assertThat(view.stats().tombstonesIgnored()).isEqualTo(2));
        assertThat(view.token(key).version()).isEqualTo(1);
        assertThat(view.stats().tombstones()).isZero();
    }

    @Test
    void aTombstoneRemovesTheKeyWhereSignaturesAreNotChecked() {
        TokenTopic topic = topic(1);
        TokenKey removed = key("wx00000000000000c1");
        TokenKey kept = key("wx00000000000000c2");
        topic.sendUnsigned(version(removed, 1, START));
        topic.sendUnsigned(version(kept, 1, START));
        topic.tombstone(removed);
        topic.flush();

        TokenView view = started(unverified(topic));
        view.awaitReady(READY);

        assertThat(view.keys()).containsExactly(kept);
        assertThatThrownBy(() -> view.token(removed))
                .isInstanceOf(TokenRemovedException.class)
                .hasMessageContaining(removed.asString())
                .hasMessageContaining("tombstone");
        assertThat(view.state(removed)).isEqualTo(TokenState.ABSENT);
        assertThat(view.stats().tombstones()).isEqualTo(1);
    }

    @Test
    void garbageOnTheTopicIsSkippedAndCountedWhileGoodKeysStayServed() {
        // given a good token, then garbage of several kinds for the same key and others, at cold start
        TokenTopic topic = topic(1);
        TokenKey key = key("wx00000000000000d1");
        topic.send(version(key, 1, START.plus(Duration.ofMinutes(60))));
        topic.send(key.asString(), new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef});
        topic.send(
                key.asString(), "{\"type\":\"RefreshRequested\",\"schemaVersion\":1}".getBytes(StandardCharsets.UTF_8));
        topic.send(
                key.asString(), "{\"type\":\"TokenRefreshed\",\"schemaVersion\":2}".getBytes(StandardCharsets.UTF_8));
        topic.send("not a token key", EventCodec.json().encode(version(key, 9, START)));
        topic.send(key("wx00000000000000d2").asString(), EventCodec.json().encode(version(key, 9, START)));
        topic.flush();

        TokenView view = started(view(topic));
        view.awaitReady(READY);

        assertThat(view.token(key).version()).isEqualTo(1);
        assertThat(view.keys()).containsExactly(key);
        assertThat(view.stats().malformedSkipped()).isEqualTo(5);

        // and while following
        topic.send(key.asString(), "{".getBytes(StandardCharsets.UTF_8));
        topic.flush();
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(view.stats().malformedSkipped()).isEqualTo(6));
        assertThat(view.token(key).version()).isEqualTo(1);
    }

    @Test
    void anExpiredTokenThrowsAndAStaleOneIsStillServed() {
        TokenTopic topic = topic(1);
        TokenKey key = key("wx00000000000000e1");
        TokenRefreshed event = version(key, 1, START);
        topic.send(event);
        topic.flush();
        TokenView view = started(view(topic).staleGrace(Duration.ofMinutes(2)));
        view.awaitReady(READY);
        assertThat(view.state(key)).isEqualTo(TokenState.FRESH);

        clock.set(event.nextRefreshAt().plus(Duration.ofMinutes(3)));
        assertThat(view.state(key)).isEqualTo(TokenState.STALE);
        assertThat(view.token(key).version()).isEqualTo(1);

        clock.set(event.expiresAt());
        assertThat(view.state(key)).isEqualTo(TokenState.EXPIRED);
        assertThat(view.find(key)).isEmpty();
        assertThatThrownBy(() -> view.token(key))
                .isInstanceOf(TokenExpiredException.class)
                .hasMessageContaining(key.asString())
                .hasMessageContaining("expired at " + event.expiresAt())
                .hasMessageNotContaining(event.token());
    }

    @Test
    void reportInvalidPutsExactlyOneReportOnTheReportsTopicWithTheFingerprintAndNeverForce() throws Exception {
        // given a view holding v1 and a reports topic
        TokenTopic topic = topic(1);
        TokenTopic admin = TokenTopic.deleting("reports");
        closeables.add(admin);
        TokenKey key = key("wx00000000000000f1");
        topic.send(version(key, 1, START.plus(Duration.ofMinutes(60))));
        topic.flush();
        TokenView view = started(view(topic).reportsTopic(admin.name).clientId("orders-service"));
        view.awaitReady(READY);
        Token dead = view.token(key);

        // when two threads' worth of reports of the same dead token are made
        CompletableFuture<Token> next = view.reportInvalid(dead, 40001);
        CompletableFuture<Token> again = view.reportInvalid(dead, 40001);

        // then exactly one well-formed report is on the reports topic
        await().atMost(Duration.ofSeconds(10)).until(() -> !admin.readAll().isEmpty());
        List<ConsumerRecord<String, byte[]>> records = admin.readAll();
        assertThat(records).hasSize(1);
        assertThat(records.get(0).key()).isEqualTo(key.asString());
        RefreshRequested command = EventCodec.json().decode(records.get(0).value(), RefreshRequested.class);
        assertThat(command.tokenKey()).isEqualTo(key);
        assertThat(command.ifFingerprint()).isEqualTo(dead.fingerprint());
        assertThat(command.reason()).isEqualTo(RefreshReason.INVALID_REPORTED);
        assertThat(command.force()).isFalse();
        assertThat(command.requestedBy()).startsWith("orders-service@");
        assertThat(command.requestedAt()).isEqualTo(clock.instant());

        // and the futures complete with the next version once the refresher publishes it
        assertThat(next).isNotDone();
        topic.send(version(key, 2, START.plus(Duration.ofMinutes(71))));
        topic.flush();
        assertThat(next.get(10, java.util.concurrent.TimeUnit.SECONDS).version())
                .isEqualTo(2);
        assertThat(again.get(10, java.util.concurrent.TimeUnit.SECONDS).version())
                .isEqualTo(2);
    }

    @Test
    void withTokenRetriesOnceWithTheVersionTheRefresherPublishesAfterTheReport() {
        // given a view and a stand-in refresher that answers each report with the next version
        TokenTopic topic = topic(1);
        TokenTopic admin = TokenTopic.deleting("reports");
        closeables.add(admin);
        TokenKey key = key("wx00000000000000f2");
        topic.send(version(key, 1, START.plus(Duration.ofMinutes(60))));
        topic.flush();
        TokenView view = started(view(topic).reportsTopic(admin.name));
        view.awaitReady(READY);
        CompletableFuture.runAsync(() -> {
            await().atMost(Duration.ofSeconds(10)).until(() -> !admin.readAll().isEmpty());
            topic.send(version(key, 2, START.plus(Duration.ofMinutes(71))));
            topic.flush();
        });

        // when WeChat refuses v1 with 40001
        List<Long> triedVersions = new ArrayList<>();
        int errcode = view.withToken(
                key,
                token -> {
                    triedVersions.add(token.version());
                    return token.version() == 1 ? 40001 : 0;
                },
                code -> code);

        // then the call ran twice, the second time with v2
        assertThat(errcode).isZero();
        assertThat(triedVersions).containsExactly(1L, 2L);
    }

    @Test
    void followsPartitionsAddedToTheTopicAfterStart() {
        TokenTopic topic = topic(1);
        // The consumer learns of new partitions from its metadata, refreshed every metadata.max.age.ms (5 min).
        TokenView.Builder builder = view(topic).kafkaProperty("metadata.max.age.ms", 500);
        builder.partitionCheckInterval = Duration.ofMillis(200);
        TokenView view = started(builder);
        view.awaitReady(READY);

        topic.growTo(2);
        TokenKey key = key("wx0000000000000012");
        topic.sendTo(1, version(key, 1, START));
        topic.flush();

        await().atMost(Duration.ofSeconds(15)).until(() -> view.find(key).isPresent());
    }

    @Test
    void anEmptyTopicIsReadyAtOnceAndAMissingKeyIsUnknown() {
        TokenTopic topic = topic(2);
        TokenView view = started(view(topic));
        view.awaitReady(READY);
        TokenKey key = key("wx0000000000000011");
        assertThatThrownBy(() -> view.token(key))
                .isInstanceOf(UnknownTokenException.class)
                .hasMessageContaining(key.asString())
                .hasMessageContaining(topic.name);
    }
}
