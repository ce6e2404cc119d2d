package io.tokencast.consumer;

import static io.tokencast.consumer.Events.START;
import static io.tokencast.consumer.Events.key;
import static io.tokencast.consumer.Events.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tokencast.schema.ConsumerHeartbeat;
import io.tokencast.schema.EventCodec;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.testkit.LocalInfrastructure;
import io.tokencast.testkit.MutableClock;
import io.tokencast.testkit.signing.TestRefresherKey;
import io.tokencast.trust.encryption.EncryptionKeyring;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A view tells the fleet what it holds: heartbeats on the consumers topic, capped, and a tombstone on close. */
class HeartbeatIT {

    private static final Duration READY = Duration.ofSeconds(30);
    private static final Duration INTERVAL = Duration.ofMillis(200);

    private final MutableClock clock = new MutableClock(START.plus(Duration.ofMinutes(10)));
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final TokenTopic tokens = topic("tokens");
    private final TokenTopic consumers = topic("consumers");

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
    }

    private TokenTopic topic(String prefix) {
        TokenTopic topic = TokenTopic.compacted(prefix, 1);
        closeables.add(topic);
        return topic;
    }

    private TokenView started(String instanceId, boolean heartbeats) {
        TokenView view = TokenView.builder()
                .bootstrapServers(TokenTopic.bootstrapServers())
                .refresherKeys(TestRefresherKey.shared().verificationKeys())
                .topic(tokens.name)
                .clientId("billing")
                .clock(clock)
                .consumersTopic(consumers.name)
                .instanceId(instanceId)
                .heartbeats(heartbeats)
                .heartbeatInterval(INTERVAL)
                .build();
        closeables.add(0, view);
        view.start().awaitReady(READY);
        return view;
    }

    @Test
    void heartbeatNamesTheInstanceAndTheVersionsItHoldsThenFollowsANewVersion() {
        TokenKey a = key("wx00000000000000a1");
        TokenKey b = key("wx00000000000000b2");
        tokens.send(version(a, 3, START));
        tokens.send(version(b, 1, START));
        tokens.flush();
        String instance = LocalInfrastructure.uniqueName("billing-1");
        TokenView view = started(instance, true);

        ConsumerHeartbeat first = awaitHeartbeat(instance, hb -> hb.held().size() == 2);

        assertThat(first.service()).isEqualTo("billing");
        assertThat(first.host()).isNotBlank();
        assertThat(first.libraryVersion()).isEqualTo("0.1.0-SNAPSHOT");
        assertThat(first.sentAt()).isEqualTo(clock.instant());
        assertThat(first.startedAt()).isEqualTo(clock.instant());
        assertThat(first.brokerContact()).isNotNull();
        assertThat(first.held())
                .extracting(ConsumerHeartbeat.HeldVersion::tokenKey, ConsumerHeartbeat.HeldVersion::version)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(a, 3L), org.assertj.core.groups.Tuple.tuple(b, 1L));
        assertThat(first.held().get(0).fingerprint()).isEqualTo(view.token(a).fingerprint());

        TokenRefreshed next = version(a, 4, START.plus(Duration.ofMinutes(5)));
        tokens.send(next);
        tokens.flush();

        ConsumerHeartbeat later = awaitHeartbeat(
                instance, hb -> !hb.held().isEmpty() && hb.held().get(0).version() == 4);
        assertThat(later.held().get(0).fingerprint()).isEqualTo(next.fingerprint());
    }

    @Test
    void heartbeatNamesTheKeyPatternsAndKidsTheViewCanRead() {
        String plain = LocalInfrastructure.uniqueName("billing-plain");
        started(plain, true);
        EncryptionKeyring keyring = EncryptionKeyring.generate("kid-billing-2", List.of("wechat-access-token/wxb*"))
                .with(EncryptionKeyring.generate("kid-billing-1", List.of("wecom-access-token/*")));
        String sealed = LocalInfrastructure.uniqueName("billing-sealed");
        TokenView view = TokenView.builder()
                .bootstrapServers(TokenTopic.bootstrapServers())
                .refresherKeys(TestRefresherKey.shared().verificationKeys())
                .topic(tokens.name)
                .clientId("billing")
                .clock(clock)
                .consumersTopic(consumers.name)
                .instanceId(sealed)
                .heartbeatInterval(INTERVAL)
                .encryptionKeyring(keyring)
                .build();
        closeables.add(0, view);
        view.start().awaitReady(READY);

        // without a keyring a view reads every key, in plaintext only
        ConsumerHeartbeat plainBeat = awaitHeartbeat(plain, hb -> true);
        assertThat(plainBeat.scopes()).containsExactly("*");
        assertThat(plainBeat.kids()).isEmpty();
        ConsumerHeartbeat sealedBeat = awaitHeartbeat(sealed, hb -> true);
        assertThat(sealedBeat.scopes()).containsExactly("wechat-access-token/wxb*", "wecom-access-token/*");
        assertThat(sealedBeat.kids()).containsExactly("kid-billing-1", "kid-billing-2");
    }

    @Test
    void heartbeatSaysWhetherTheViewVerifiesSignaturesAndWhichRefresherKidsItTrusts() {
        String verifying = LocalInfrastructure.uniqueName("billing-verifying");
        TokenView view = started(verifying, true);
        String unverified = LocalInfrastructure.uniqueName("billing-unverified");
        TokenView off = TokenView.builder()
                .bootstrapServers(TokenTopic.bootstrapServers())
                .withoutSignatureVerification()
                .topic(tokens.name)
                .clientId("billing")
                .clock(clock)
                .consumersTopic(consumers.name)
                .instanceId(unverified)
                .heartbeatInterval(INTERVAL)
                .build();
        closeables.add(0, off);
        off.start().awaitReady(READY);

        ConsumerHeartbeat.Signatures verifies =
                awaitHeartbeat(verifying, hb -> true).signatures();
        assertThat(verifies.verified()).isTrue();
        assertThat(verifies.kids())
                .isNotEmpty()
                .containsExactlyInAnyOrderElementsOf(
                        view.signatureVerification().kids());
        assertThat(verifies.provider()).isEqualTo(view.signatureVerification().provider());
        ConsumerHeartbeat.Signatures doesNot =
                awaitHeartbeat(unverified, hb -> true).signatures();
        assertThat(doesNot).isEqualTo(new ConsumerHeartbeat.Signatures(false, List.of(), null));
    }

    @Test
    void heldListIsCappedInKeyOrderAndNeverCarriesAToken() {
        List<TokenRefreshed> published = new ArrayList<>();
        for (int i = 0; i < ConsumerHeartbeat.MAX_HELD + 44; i++) {
            TokenRefreshed event = version(key(String.format("wx%016d", i)), 1, START);
            published.add(event);
            tokens.send(event);
        }
        tokens.flush();
        String instance = LocalInfrastructure.uniqueName("billing-cap");
        started(instance, true);

        awaitHeartbeat(instance, hb -> !hb.held().isEmpty());
        List<ConsumerRecord<String, byte[]>> records = heartbeatsOf(instance);
        ConsumerHeartbeat heartbeat =
                EventCodec.json().decode(records.get(records.size() - 1).value(), ConsumerHeartbeat.class);

        assertThat(heartbeat.held()).hasSize(ConsumerHeartbeat.MAX_HELD);
        assertThat(heartbeat.held().get(ConsumerHeartbeat.MAX_HELD - 1).tokenKey())
                .isEqualTo(key(String.format("wx%016d", ConsumerHeartbeat.MAX_HELD - 1)));
        String json = new String(records.get(records.size() - 1).value(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(published).noneMatch(event -> json.contains(event.token()));
    }

    @Test
    void closingWritesATombstoneAndAViewWithHeartbeatsOffWritesNothing() {
        tokens.send(version(key("wx00000000000000c3"), 1, START));
        tokens.flush();
        String silent = LocalInfrastructure.uniqueName("billing-silent");
        String closing = LocalInfrastructure.uniqueName("billing-closing");
        started(silent, false);
        TokenView view = started(closing, true);
        awaitHeartbeat(closing, hb -> true);

        view.close();

        List<ConsumerRecord<String, byte[]>> records = heartbeatsOf(closing);
        assertThat(records.get(records.size() - 1).value()).as("tombstone").isNull();
        // The silent view started first; three heartbeats of the other prove time for it to have sent one.
        assertThat(records.stream().filter(r -> r.value() != null)).hasSizeGreaterThanOrEqualTo(1);
        assertThat(heartbeatsOf(silent)).isEmpty();
    }

    private ConsumerHeartbeat awaitHeartbeat(String instance, java.util.function.Predicate<ConsumerHeartbeat> test) {
        return await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> heartbeatsOf(instance).stream()
                                .filter(r -> r.value() != null)
                                .map(r -> EventCodec.json().decode(r.value(), ConsumerHeartbeat.class))
                                .filter(test)
                                .reduce((x, y) -> y),
                        Optional::isPresent)
                .orElseThrow();
    }

    private List<ConsumerRecord<String, byte[]>> heartbeatsOf(String instance) {
        return consumers.readAll().stream()
                .filter(r -> instance.equals(r.key()))
                .toList();
    }
}
