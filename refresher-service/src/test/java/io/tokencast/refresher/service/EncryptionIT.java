package io.tokencast.refresher.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tokencast.refresher.store.StoredToken;
import io.tokencast.schema.AttemptOutcome;
import io.tokencast.schema.Fingerprint;
import io.tokencast.schema.RefreshAttempted;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.testkit.LocalInfrastructure;
import io.tokencast.trust.encryption.EncryptionKeyring;
import io.tokencast.trust.encryption.RecordEncryption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.data.redis.core.StringRedisTemplate;

/** With a keyring configured, Kafka and Redis hold only ciphertext, and the audit names the kid. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EncryptionIT {

    private final EncryptionKeyring keyring =
            EncryptionKeyring.generate("it-2026-12", List.of("wechat-access-token/*"));
    private final RecordEncryption encryption = RecordEncryption.with(keyring);
    private RefresherCluster cluster;

    @BeforeAll
    void start() {
        cluster = new RefresherCluster(
                LocalInfrastructure.shared().redisUrl(),
                TestApp.many(0x16e, 3),
                Map.of("tokencast.encryption.keyring-json", keyring.toJson()));
        cluster.start("encrypting");
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.latest().size() == cluster.apps.size());
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theTopicCarriesOnlyCiphertextThatDecryptsToTheLiveTokenItsFingerprintNames() {
        for (TokenRefreshed event : cluster.topics.tokens(cluster.tokensTopic)) {
            assertThat(event.token()).as("plaintext token on the topic").isNull();
            assertThat(RecordEncryption.kid(event)).contains("it-2026-12");

            String token = encryption.reveal(event);

            assertThat(Fingerprint.of(token)).isEqualTo(event.fingerprint());
            assertThat(cluster.sandbox.checkToken(token))
                    .as("WeChat accepts the decrypted token")
                    .isZero();
        }
    }

    @Test
    void redisHoldsTheSameCiphertextAndNoPlaintextToken() {
        StringRedisTemplate redis = cluster.context("encrypting").getBean(StringRedisTemplate.class);
        List<String> tokens = plaintextTokens();
        List<String> values = new ArrayList<>();
        for (String key : redis.keys(cluster.keyPrefix + "*")) {
            if ("hash".equals(redis.type(key).code())) {
                redis.opsForHash().values(key).forEach(v -> values.add(v.toString()));
            } else if ("string".equals(redis.type(key).code())) {
                values.add(redis.opsForValue().get(key));
            }
        }

        assertThat(values).isNotEmpty();
        for (String token : tokens) {
            assertThat(values).noneMatch(v -> v != null && v.contains(token));
        }
        Map<TokenKey, StoredToken> stored = cluster.stored();
        cluster.latest()
                .forEach((key, event) ->
                        assertThat(stored.get(key).token().encryptedToken()).isEqualTo(event.encryptedToken()));
    }

    @Test
    void theAuditRecordsTheKidAndFingerprintsOnly() {
        List<RefreshAttempted> refreshed = cluster.topics.audit(cluster.auditTopic).stream()
                .filter(a -> a.outcome() == AttemptOutcome.REFRESHED)
                .toList();
        List<String> tokens = plaintextTokens();
        List<String> audit = cluster.topics.records(cluster.auditTopic).stream()
                .map(r -> new String(r.value(), StandardCharsets.UTF_8))
                .toList();

        assertThat(refreshed).hasSizeGreaterThanOrEqualTo(cluster.apps.size());
        assertThat(refreshed).allSatisfy(a -> assertThat(a.kid()).isEqualTo("it-2026-12"));
        for (String token : tokens) {
            assertThat(audit).noneMatch(json -> json.contains(token));
        }
    }

    @Test
    void noTokenOrSecretReachesTheLogs() {
        cluster.assertNoSecretsLeaked();
        List<String> logs = cluster.logLines();
        for (String token : plaintextTokens()) {
            assertThat(logs).noneMatch(line -> line.contains(token));
        }
    }

    private List<String> plaintextTokens() {
        return cluster.topics.tokens(cluster.tokensTopic).stream()
                .map(encryption::reveal)
                .toList();
    }
}
