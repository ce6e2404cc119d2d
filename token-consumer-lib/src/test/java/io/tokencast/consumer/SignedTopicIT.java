package io.tokencast.consumer;

import static io.tokencast.consumer.Events.START;
import static io.tokencast.consumer.Events.key;
import static io.tokencast.consumer.Events.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tokencast.schema.TokenKey;
import io.tokencast.testkit.LocalInfrastructure;
import io.tokencast.testkit.MutableClock;
import io.tokencast.testkit.signing.TestRefresherKey;
import io.tokencast.trust.signing.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Signed tokens against a real broker (issue 15): only records signed by the refresher's keys are served, live
 * and at cold start, and a view that checks nothing says so.
 */
class SignedTopicIT {

    private static final Duration READY = Duration.ofSeconds(30);
    private static final TestRefresherKey FORGER = TestRefresherKey.generate("forger-1");

    private final MutableClock clock = new MutableClock(START.plus(Duration.ofMinutes(70)));
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
    }

    @Test
    void aForgedNewerVersionNeverDisplacesTheGenuineOneWhileLive() {
        // given a view serving the genuine v1
        TokenTopic topic = topic();
        TokenKey key = key("wx00000000000000a1");
        topic.send(version(key, 1));
        topic.flush();
        TokenView view = started(verified(topic));
        view.awaitReady(READY);
        assertThat(view.token(key).version()).isEqualTo(1);

        // when a v2 signed with a key the view does not trust and an unsigned v3 arrive, then a genuine v2
        topic.send(version(key, 2), FORGER);
        topic.sendUnsigned(version(key, 3));
        topic.flush();
        await().atMost(Duration.ofSeconds(10)).until(() -> view.stats().signatureRejected() == 2);
        assertThat(view.token(key).version()).isEqualTo(1);
        topic.send(version(key, 2));
        topic.flush();

        // then only the genuine v2 replaced v1, and each refusal was counted by its verdict
        await().atMost(Duration.ofSeconds(10)).until(() -> view.token(key).version() == 2);
        assertThat(view.token(key).value()).isEqualTo("token-" + key.account() + "-v2");
        assertThat(view.stats().signatureRejections()).isEqualTo(Map.of(Verdict.UNKNOWN_KID, 1L, Verdict.UNSIGNED, 1L));
    }

    @Test
    void anUnsignedTopicAtColdStartServesNoKeyAndCountsEveryRecord() {
        // given a topic written by a refresher that does not sign
        TokenTopic topic = topic();
        TokenKey a = key("wx00000000000000b1");
        TokenKey b = key("wx00000000000000b2");
        topic.sendUnsigned(version(a, 1));
        topic.sendUnsigned(version(b, 1));
        topic.flush();

        // when a verifying view starts
        TokenView view = started(verified(topic));
        view.awaitReady(READY);

        // then it is ready but serves neither key, and says why
        assertThatThrownBy(() -> view.token(a))
                .isInstanceOf(UnknownTokenException.class)
                .hasMessageContaining("signature did not verify");
        assertThat(view.find(b)).isEmpty();
        assertThat(view.keys()).isEmpty();
        assertThat(view.stats().signatureRejections()).isEqualTo(Map.of(Verdict.UNSIGNED, 2L));
        assertThat(view.stats().verificationPending()).isZero();
    }

    @Test
    void onRestoreAForgedHighestVersionFallsBackToTheGenuineOneAndTheFirstReadIsVerified() {
        // given the genuine v1 and v2, then a forged v3 with a token of the forger's choosing
        TokenTopic topic = topic();
        TokenKey key = key("wx00000000000000c1");
        topic.send(version(key, 1));
        topic.send(version(key, 2));
        topic.send(version(key, 3), FORGER);
        topic.flush();

        // when a view starts
        TokenView view = started(verified(topic));
        view.awaitReady(READY);

        // then its first read returns the genuine v2: v3 was refused, never served
        Token first = view.token(key);
        assertThat(first.version()).isEqualTo(2);
        assertThat(first.value()).isEqualTo("token-" + key.account() + "-v2");
        assertThat(view.stats().signatureRejections()).isEqualTo(Map.of(Verdict.UNKNOWN_KID, 1L));
        assertThat(view.stats().verificationPending()).isZero();
        assertThat(view.signatureVerification().enabled()).isTrue();
        assertThat(view.signatureVerification().kids())
                .containsExactly(TestRefresherKey.shared().kid());
    }

    @Test
    void aViewWithoutSignatureVerificationSaysSoAtWarnAndServesUnsignedTokens() {
        // given an unsigned topic and a view told explicitly not to verify
        TokenTopic topic = topic();
        TokenKey key = key("wx00000000000000d1");
        topic.sendUnsigned(version(key, 1));
        topic.flush();
        Logger logger = (Logger) LoggerFactory.getLogger(KafkaTokenView.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try {
            // when it starts
            TokenView view = started(TokenView.builder()
                    .bootstrapServers(TokenTopic.bootstrapServers())
                    .withoutSignatureVerification()
                    .topic(topic.name)
                    .clientId(LocalInfrastructure.uniqueName("unverified"))
                    .clock(clock));
            view.awaitReady(READY);

            // then it warned once, naming the topic, and serves what it read
            assertThat(logged.list)
                    .filteredOn(event -> event.getLevel() == Level.WARN)
                    .singleElement()
                    .satisfies(event -> assertThat(event.getFormattedMessage())
                            .contains("WITHOUT signature verification")
                            .contains(topic.name)
                            .contains("refresherKeysFile"));
            assertThat(view.token(key).version()).isEqualTo(1);
            assertThat(view.signatureVerification().enabled()).isFalse();
        } finally {
            logger.detachAppender(logged);
        }
    }

    private TokenTopic topic() {
        TokenTopic topic = TokenTopic.compacted("signed", 1);
        closeables.add(topic);
        return topic;
    }

    private TokenView.Builder verified(TokenTopic topic) {
        return TokenView.builder()
                .bootstrapServers(TokenTopic.bootstrapServers())
                .refresherKeys(TestRefresherKey.shared().verificationKeys())
                .topic(topic.name)
                .clientId(LocalInfrastructure.uniqueName("verified"))
                .clock(clock);
    }

    private TokenView started(TokenView.Builder builder) {
        TokenView view = builder.build();
        closeables.add(0, view);
        return view.start();
    }
}
