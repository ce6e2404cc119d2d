package io.tokencast.refresher.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tokencast.consumer.TokenView;
import io.tokencast.refresher.encryption.KeyGate;
import io.tokencast.schema.AttemptOutcome;
import io.tokencast.schema.EventCodec;
import io.tokencast.schema.RefreshAttempted;
import io.tokencast.schema.RefreshReason;
import io.tokencast.schema.RefreshRequested;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.testkit.LocalInfrastructure;
import io.tokencast.trust.encryption.EncryptionKeyring;
import io.tokencast.trust.encryption.RecordEncryption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A new encryption key is promoted only once the fleet can read it (docs/security.md §5.3): while a live
 * consumer covering the key holds only the old kid, new versions keep the old kid and {@code keys rotate} is
 * refused; once every live consumer holds the new kid, the rotation goes through.
 */
class KeyPromotionIT {

    private static final Duration HEARTBEAT = Duration.ofMillis(200);

    private final EncryptionKeyring oldKey = EncryptionKeyring.generate("k-old", List.of("*"));
    private final EncryptionKeyring newKey = EncryptionKeyring.generate("k-new", List.of("*"));
    private final RefresherCluster cluster = new RefresherCluster(List.of(TestApp.of(0x9a7e, 0, "classic")));
    private final TokenKey key = cluster.apps.get(0).key();
    private TokenView view;

    @AfterEach
    void stop() {
        if (view != null) {
            view.close();
        }
        cluster.closeAfterCheckingNoSecretsLeaked();
    }

    @Test
    void theNewKidWaitsForTheLastConsumerWithoutIt() throws Exception {
        cluster.start("r-old", Map.of("tokencast.encryption.keyring-json", oldKey.toJson()));
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.latest().containsKey(key));
        assertThat(kidOf(cluster.latest().get(key))).isEqualTo("k-old");
        view = view(oldKey);

        // the new key joins the refresher's keyring and becomes the one to write
        cluster.stop("r-old");
        cluster.start(
                "r-new",
                Map.of(
                        "tokencast.encryption.keyring-json",
                        oldKey.with(newKey).toJson(),
                        // The virtual clock jumps 90 minutes to the next refresh; the consumer must not look silent
                        // in the moment before its next heartbeat, or the gate would rightly open.
                        "tokencast.fleet.live-within",
                        "3h",
                        "tokencast.fleet.forget-after",
                        "4h"));

        RefreshRequested refused = rotate();
        RefreshAttempted rejection = awaitAudit(refused);
        assertThat(rejection.outcome()).isEqualTo(AttemptOutcome.REJECTED);
        assertThat(rejection.errorCode()).isEqualTo("KEY_NOT_HELD");
        assertThat(rejection.errorMessage()).contains("k-new").contains("orders-1");

        // a scheduled refresh still writes under the kid the consumer reads
        TokenRefreshed first = cluster.latest().get(key);
        cluster.clock.set(first.nextRefreshAt().plusSeconds(1));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> cluster.latest().get(key).version() > first.version());
        TokenRefreshed held = cluster.latest().get(key);
        assertThat(kidOf(held)).isEqualTo("k-old");
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        view.find(key).map(t -> t.version() == held.version()).orElse(false));

        // the consumer gets the new key too; the rotation goes through and it reads the re-keyed version
        view.close();
        view = view(oldKey.with(newKey));
        KeyGate gate = cluster.context("r-new").getBean(KeyGate.class);
        await("the fleet view sees the upgraded consumer")
                .atMost(Duration.ofSeconds(30))
                .until(() -> gate.unableToRead(key.asString(), "k-new").isEmpty());
        assertThat(awaitAudit(rotate()).outcome()).isEqualTo(AttemptOutcome.REFRESHED);
        TokenRefreshed rekeyed = cluster.latest().get(key);
        assertThat(rekeyed.reason()).isEqualTo(RefreshReason.REKEYED);
        assertThat(kidOf(rekeyed)).isEqualTo("k-new");
        assertThat(rekeyed.fingerprint()).isEqualTo(held.fingerprint());
        await().atMost(Duration.ofSeconds(10)).until(() -> view.find(key)
                .map(t -> t.version() == rekeyed.version())
                .orElse(false));
    }

    private TokenView view(EncryptionKeyring keyring) {
        TokenView started = TokenView.builder()
                .bootstrapServers(LocalInfrastructure.shared().kafkaBootstrapServers())
                .topic(cluster.tokensTopic)
                .refresherKeysFile(TestSigning.FILES.publicFile())
                .consumersTopic(cluster.tokensTopic + "-consumers")
                .clientId("orders")
                .instanceId("orders-1")
                .clock(cluster.clock)
                .heartbeatInterval(HEARTBEAT)
                .encryptionKeyring(keyring)
                .build();
        started.start().awaitReady(Duration.ofSeconds(30));
        return started;
    }

    private RefreshRequested rotate() throws Exception {
        RefreshRequested command = RefreshRequested.rekey(key, cluster.operator.name(), cluster.clock.instant());
        Map<String, Object> config = new HashMap<>();
        config.put(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                LocalInfrastructure.shared().kafkaBootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(
                            cluster.tokensTopic + "-admin",
                            key.asString().getBytes(StandardCharsets.UTF_8),
                            cluster.operator.sign(command)))
                    .get(30, TimeUnit.SECONDS);
        }
        return command;
    }

    private RefreshAttempted awaitAudit(RefreshRequested command) {
        return await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> cluster.topics.records(cluster.auditTopic).stream()
                                .map(r -> EventCodec.json().decode(r.value(), RefreshAttempted.class))
                                .filter(a -> command.commandId().equals(a.commandId()))
                                .findFirst()
                                .orElse(null),
                        java.util.Objects::nonNull);
    }

    private static String kidOf(TokenRefreshed event) {
        return RecordEncryption.kid(event).orElse(null);
    }
}
