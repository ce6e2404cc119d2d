package io.tokencast.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tokencast.cli.RefresherRig.Run;
import io.tokencast.consumer.Token;
import io.tokencast.consumer.TokenView;
import io.tokencast.refresher.store.TokenStore;
import io.tokencast.schema.RefreshReason;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.testkit.signing.TestRefresherKey;
import io.tokencast.trust.encryption.EncryptionKeyring;
import io.tokencast.trust.encryption.RecordEncryption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A whole staged rotation (docs/security.md §5) with live consumers reading all along: the new key reaches the
 * consumers, the refresher is promoted to it, {@code tokencast keys rotate} re-publishes every token under it,
 * and the old key can go. Not one read fails, and WeChat is not asked for a single extra token.
 */
class KeyRotationIT {

    private static final List<String> APPIDS =
            List.of("wxr07a7e0000000001", "wxr07a7e0000000002", "wxr07a7e0000000003");

    private final EncryptionKeyring oldKey =
            EncryptionKeyring.generate("rot-2026-11", List.of("wechat-access-token/*"));
    private final EncryptionKeyring newKey =
            EncryptionKeyring.generate("rot-2026-12", List.of("wechat-access-token/*"));

    @TempDir
    Path keys;

    @Test
    void rotatingWithLiveConsumersFailsNoReadAndFetchesNothing() throws Exception {
        OperatorKeyFiles operator = OperatorKeyFiles.generate(keys, "ops-rotation-it");
        LiveReaders readers = null;
        try (RefresherRig rig = new RefresherRig("rotation", operator)) {
            APPIDS.forEach(appid -> rig.wechatApp(appid, "secret-" + appid, "stable"));
            String tokens = rig.refresher.tokensTopic();
            List<TokenKey> keys = APPIDS.stream()
                    .map(appid -> TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, appid))
                    .toList();
            ConfigurableApplicationContext refresher = refresher(rig, oldKey, "rotation-1");
            try {
                TokenStore store = refresher.getBean(TokenStore.class);
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> keys.stream().allMatch(k -> store.read(k).version() == 1));
                long fetches = rig.sandbox.callLog().size();

                // (1) the new key reaches the consumers, which keep the old one too
                List<TokenView> views = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    views.add(rig.view(TestRefresherKey.shared().verificationKeys(), oldKey.with(newKey)));
                }
                views.forEach(v -> v.awaitReady(Duration.ofSeconds(30)));
                LiveReaders running = new LiveReaders(views, keys).start();
                readers = running;
                await().atMost(Duration.ofSeconds(10)).until(() -> running.reads.get() > 1_000);
                Map<TokenKey, String> fingerprints = fingerprints(views.get(0), keys);

                // (3) the refresher is promoted: the new key takes new writes
                rig.stop("rotation-1");
                refresher(rig, oldKey.with(newKey), "rotation-2");

                // (4) tokencast keys rotate re-publishes every current token under the new key
                Run rotate = rig.connected(
                        "keys",
                        "rotate",
                        "--wait",
                        "60s",
                        "--operator-key",
                        operator.privateKey().toString(),
                        "--credentials-topic",
                        rig.refresher.credentialsTopic(),
                        "--refresher-keys",
                        TestRefresherKey.shared().publicJwkSetFile().toString());

                assertThat(rotate.code()).as(rotate.toString()).isEqualTo(ExitCode.OK);
                assertThat(rotate.out()).contains("rekeyed to v2 kid=rot-2026-12");
                // The old kid keeps only the older records, which compaction removes: no key's current one.
                assertThat(rotate.out())
                        .containsPattern("(?m)^" + tokens + "\\s+\\S+\\s+rot-2026-12\\s+3\\s+0$")
                        .containsPattern("(?m)^" + tokens + "\\s+\\S+\\s+rot-2026-11\\s+0\\s+3$");
                for (TokenView view : views) {
                    await().atMost(Duration.ofSeconds(10)).until(() -> keys.stream()
                            .allMatch(k -> view.find(k).map(Token::version).orElse(0L) == 2L));
                    Map<TokenKey, TokenRefreshed> held = view.snapshot();
                    for (TokenKey key : keys) {
                        assertThat(RecordEncryption.kid(held.get(key))).contains("rot-2026-12");
                        assertThat(held.get(key).reason()).isEqualTo(RefreshReason.REKEYED);
                        assertThat(view.token(key).fingerprint()).isEqualTo(fingerprints.get(key));
                    }
                }
                long readsAtRotation = running.reads.get();
                await().atMost(Duration.ofSeconds(10)).until(() -> running.reads.get() > readsAtRotation + 1_000);
                running.stop();

                assertThat(running.failures)
                        .as("failed reads across the rotation")
                        .isEmpty();
                assertThat(running.values).hasSize(keys.size()).allMatch(value -> rig.sandbox.checkToken(value) == 0);
                assertThat(rig.sandbox.callLog()).as("WeChat calls").hasSize((int) fetches);

                // (5) the old key can go: a consumer holding only the new one reads every token
                TokenView newOnly = rig.view(TestRefresherKey.shared().verificationKeys(), newKey);
                newOnly.awaitReady(Duration.ofSeconds(30));
                keys.forEach(k -> assertThat(newOnly.token(k).fingerprint()).isEqualTo(fingerprints.get(k)));
            } finally {
                if (readers != null) {
                    readers.stop();
                }
            }
        }
    }

    private static Map<TokenKey, String> fingerprints(TokenView view, List<TokenKey> keys) {
        Map<TokenKey, String> fingerprints = new ConcurrentHashMap<>();
        keys.forEach(k -> fingerprints.put(k, view.token(k).fingerprint()));
        return fingerprints;
    }

    private static ConfigurableApplicationContext refresher(RefresherRig rig, EncryptionKeyring keyring, String id) {
        return rig.start(id, Map.of("tokencast.encryption.keyring-json", keyring.toJson()));
    }
}
