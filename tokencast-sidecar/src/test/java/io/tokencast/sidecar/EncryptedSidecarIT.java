package io.tokencast.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tokencast.schema.ConsumerHeartbeat;
import io.tokencast.schema.EventCodec;
import io.tokencast.schema.RefreshReason;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.testkit.MutableClock;
import io.tokencast.testkit.signing.TestRefresherKey;
import io.tokencast.topics.TopicReader;
import io.tokencast.trust.encryption.EncryptionKeyring;
import io.tokencast.trust.encryption.RecordEncryption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sidecar holding one tenant's keyring on a topic the refresher encrypts (docs/security.md §5.2): it serves
 * its tenant's tokens decrypted, answers {@code no-key} for the other tenant's, and its heartbeat tells the
 * refresher which key patterns and kids it holds, so a key promotion waits for it.
 */
class EncryptedSidecarIT {

    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    @TempDir
    Path dir;

    @Test
    void servesItsTenantsTokensDecryptedAndNoKeyForTheOthers() throws Exception {
        String run = Long.toString(ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L));
        String ours = "wxa" + run + "00001";
        String theirs = "wxb" + run + "00001";
        String ourScope = "wechat-access-token/wxa" + run + "*";
        EncryptionKeyring keyA = EncryptionKeyring.generate("tenant-a-" + run, List.of(ourScope));
        EncryptionKeyring keyB =
                EncryptionKeyring.generate("tenant-b-" + run, List.of("wechat-access-token/wxb" + run + "*"));
        RecordEncryption refresher = RecordEncryption.with(keyA.with(keyB));
        Path keyring = Files.writeString(dir.resolve("service-a.keyring.json"), keyA.toJson());
        MutableClock clock = new MutableClock(T0.plus(Duration.ofMinutes(10)));

        try (Topics topics = Topics.create("sidecar-encrypted")) {
            TokenRefreshed ourEvent = topics.publish(version(ours, "token-of-" + ours), refresher);
            TokenRefreshed theirEvent = topics.publish(version(theirs, "token-of-" + theirs), refresher);
            assertThat(ourEvent.token()).as("on the topic, sealed").isNull();
            assertThat(theirEvent.encryptedToken()).isNotNull();

            try (Sidecar sidecar = Sidecar.start(
                    SidecarConfig.defaults(Topics.bootstrapServers())
                            .withRefresherKeys(TestRefresherKey.shared().publicJwkSetFile())
                            .withEncryptionKeyring(keyring)
                            .withTopics(topics.tokens, topics.reports)
                            .withConsumersTopic(topics.consumers),
                    clock)) {
                SidecarClient client = new SidecarClient(sidecar.url());
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> client.get("/health/ready").status() == 200);

                SidecarClient.Reply served = client.get("/v1/tokens/wechat-access-token/" + ours);
                assertThat(served.status()).as(served.body()).isEqualTo(200);
                assertThat(served.json().get("token").asString()).isEqualTo("token-of-" + ours);

                SidecarClient.Reply refused = client.get("/v1/tokens/wechat-access-token/" + theirs);
                assertThat(refused.status()).as(refused.body()).isEqualTo(503);
                assertThat(refused.body())
                        .contains("no-key")
                        .contains("keyring")
                        .doesNotContain("token-of-");

                ConsumerHeartbeat beat = awaitHeartbeat(topics.consumers, ourScope);
                assertThat(beat.kids()).containsExactly("tenant-a-" + run);
                assertThat(beat.signatures().verified()).isTrue();
            }
        }
    }

    @Test
    void aKeyringThatIsNotOneStopsTheStartWithTheReason() throws Exception {
        Path broken = Files.writeString(dir.resolve("broken.keyring.json"), "{\"keys\":[{\"kty\":\"oct\"}]}");
        SidecarConfig config = SidecarConfig.defaults(Topics.bootstrapServers())
                .withRefresherKeys(TestRefresherKey.shared().publicJwkSetFile())
                .withEncryptionKeyring(broken);

        assertThatThrownBy(() -> Sidecar.start(config))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("tokencast.sidecar.encryption-keyring")
                .hasMessageContaining(broken.toString());
    }

    private static TokenRefreshed version(String account, String token) {
        TokenKey key = TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, account);
        return TokenRefreshed.of(
                key,
                1,
                token,
                T0,
                T0.plus(Duration.ofHours(2)),
                T0.plus(Duration.ofMinutes(90)),
                RefreshReason.SCHEDULED,
                "test",
                null);
    }

    /** The first heartbeat on {@code topic} whose instance reads exactly {@code scope}. */
    private static ConsumerHeartbeat awaitHeartbeat(String topic, String scope) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                Topics.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class);
        TopicReader reader =
                new TopicReader(() -> new KafkaConsumer<String, byte[]>(config), topic, Duration.ofSeconds(10));
        return await().atMost(Duration.ofSeconds(30))
                .until(() -> firstHeartbeat(reader, scope), Optional::isPresent)
                .orElseThrow();
    }

    private static Optional<ConsumerHeartbeat> firstHeartbeat(TopicReader reader, String scope) {
        List<ConsumerHeartbeat> found = new ArrayList<>();
        reader.readToEnd(
                record -> {
                    if (record.value() != null) {
                        ConsumerHeartbeat beat = EventCodec.json().decode(record.value(), ConsumerHeartbeat.class);
                        if (beat.scopes().equals(List.of(scope))) {
                            found.add(beat);
                        }
                    }
                },
                IllegalStateException::new);
        return found.stream().findFirst();
    }
}
