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
import io.tokencast.testkit.wechat.TicketPushReply;
import io.tokencast.testkit.wechat.WeChatSandbox;
import io.tokencast.trust.signing.KeySetRole;
import io.tokencast.trust.signing.VerificationKeys;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A whole signing-key rotation (docs/operations.md §3.3) with live consumers reading all along: the new public key
 * joins the readers' sets, the refresher signs with the new key, {@code tokencast keys rotate} re-publishes every
 * token and the component's verify ticket under it, and the old key can go. Not one read fails, WeChat is not
 * asked for a single extra token, and a reader trusting only the new key reads every token.
 */
class SigningKeyRotationIT {

    private static final List<String> APPIDS =
            List.of("wxs19a7e0000000001", "wxs19a7e0000000002", "wxs19a7e0000000003");
    private static final String COMPONENT = "wxcomponent0019";
    private static final String COMPONENT_SECRET = "component-secret-0019";
    private static final String CALLBACK_TOKEN = "callback-token-0019";
    private static final String AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    private static final Pattern PRIVATE_FILE = Pattern.compile("private: (\\S+)");

    @TempDir
    Path dir;

    private OperatorKeyFiles operator;
    private RefresherRig rig;

    @Test
    void rotatingTheSigningKeyWithLiveConsumersFailsNoReadAndFetchesNothing() throws Exception {
        operator = OperatorKeyFiles.generate(dir, "ops-signing-rotation-it");
        Path both = dir.resolve("refresher.jwks.json");
        Path oldPrivate = generateRefresherKey("sign-2026-11", both);
        LiveReaders readers = null;
        try (RefresherRig rig = new RefresherRig("signing-rotation", operator)) {
            this.rig = rig;
            APPIDS.forEach(appid -> rig.wechatApp(appid, "secret-" + appid, "stable"));
            rig.sandbox.registerComponent(COMPONENT, COMPONENT_SECRET, AES_KEY, CALLBACK_TOKEN, null);
            rig.refresher.properties(List.of(
                    "tokencast.open-platform.components[0].appid=" + COMPONENT,
                    "tokencast.open-platform.components[0].secret=" + COMPONENT_SECRET,
                    "tokencast.open-platform.components[0].encoding-aes-key=" + AES_KEY,
                    "tokencast.open-platform.components[0].callback-token=" + CALLBACK_TOKEN));
            String tokens = rig.refresher.tokensTopic();
            String credentials = rig.refresher.credentialsTopic();
            List<TokenKey> keys = new ArrayList<>(APPIDS.stream()
                    .map(appid -> TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, appid))
                    .toList());
            keys.add(TokenKey.of(TokenKind.WECHAT_COMPONENT_ACCESS_TOKEN, COMPONENT));
            ConfigurableApplicationContext refresher = refresher(oldPrivate, null, "signing-rotation-1");
            try {
                rig.sandbox.setTicketCallback(COMPONENT, callbackUrl(refresher));
                TokenStore store = refresher.getBean(TokenStore.class);
                // The component's token is version 1 only once its verify ticket reached the vault.
                await().atMost(Duration.ofSeconds(60)).until(() -> ticketAcknowledged(rig.sandbox));
                // The first tick may run before the ticket came and back off; the back-off is timed on the
                // test's clock, so the clock moves a second per poll until the component's token is there.
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    if (keys.stream().allMatch(k -> store.read(k).version() == 1)) {
                        return true;
                    }
                    rig.clock.advance(Duration.ofSeconds(1));
                    return false;
                });

                // (1) the new public key joins every reader's refresher set, next to the old one
                Path newPrivate = generateRefresherKey("sign-2026-12", both);
                VerificationKeys oldAndNew = VerificationKeys.load(both, KeySetRole.REFRESHER);
                List<TokenView> views = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    views.add(rig.view(oldAndNew, null));
                }
                views.forEach(v -> v.awaitReady(Duration.ofSeconds(30)));
                Map<TokenKey, String> fingerprints = new ConcurrentHashMap<>();
                keys.forEach(k -> fingerprints.put(k, views.get(0).token(k).fingerprint()));
                LiveReaders running = new LiveReaders(views, keys).start();
                readers = running;
                await().atMost(Duration.ofSeconds(10)).until(() -> running.reads.get() > 1_000);
                long fetches = rig.sandbox.callLog().size();

                // (2) the refresher signs with the new key; its readers trust both meanwhile
                rig.stop("signing-rotation-1");
                refresher(newPrivate, both, "signing-rotation-2");

                // (3) tokencast keys rotate re-publishes every current token and credential under it
                Run rotate = rotate();

                assertThat(rotate.code()).as(rotate.toString()).isEqualTo(ExitCode.OK);
                keys.forEach(k -> assertThat(rotate.out()).contains(k + " rekeyed to v2 kid=(plaintext)"));
                assertThat(row(rotate.out(), tokens, "sign-2026-12")).isEqualTo(keys.size() + " 0");
                assertThat(row(rotate.out(), tokens, "sign-2026-11")).isEqualTo("0 " + keys.size());
                // The verify ticket: as many pushes as arrived went under the old key, the current one is re-signed.
                assertThat(row(rotate.out(), credentials, "sign-2026-12")).startsWith("1 ");
                assertThat(row(rotate.out(), credentials, "sign-2026-11")).startsWith("0 ");
                for (TokenView view : views) {
                    await().atMost(Duration.ofSeconds(10)).until(() -> keys.stream()
                            .allMatch(k -> view.find(k).map(Token::version).orElse(0L) == 2L));
                    for (TokenKey key : keys) {
                        assertThat(view.snapshot().get(key).reason()).isEqualTo(RefreshReason.REKEYED);
                        assertThat(view.token(key).fingerprint()).isEqualTo(fingerprints.get(key));
                    }
                }
                long readsAtRotation = running.reads.get();
                await().atMost(Duration.ofSeconds(10)).until(() -> running.reads.get() > readsAtRotation + 1_000);
                running.stop();

                assertThat(running.failures)
                        .as("failed reads across the rotation")
                        .isEmpty();
                assertThat(rig.sandbox.callLog()).as("WeChat calls").hasSize((int) fetches);

                // Asked again, nothing is under an old key any more: no new version, no new credential.
                Run again = rotate();
                keys.forEach(k -> assertThat(again.out()).contains(k + " coalesced ALREADY_CURRENT_KEY"));
                // (Older records may have grown: the refresher's replay rule may publish the vault's copy again.)
                assertThat(row(again.out(), credentials, "sign-2026-12")).startsWith("1 ");
                assertThat(row(again.out(), credentials, "sign-2026-11")).startsWith("0 ");

                // (4) the old key can go: a reader trusting only the new one reads every token
                TokenView newOnly = rig.view(VerificationKeys.load(newPublic(newPrivate), KeySetRole.REFRESHER), null);
                newOnly.awaitReady(Duration.ofSeconds(30));
                keys.forEach(k -> assertThat(newOnly.token(k).fingerprint()).isEqualTo(fingerprints.get(k)));
                assertThat(rig.sandbox.callLog()).as("WeChat calls").hasSize((int) fetches);
            } finally {
                if (readers != null) {
                    readers.stop();
                }
            }
        }
    }

    /**
     * Whether the refresher acknowledged a verify-ticket push. WeChat pushes again after a push the callback did
     * not acknowledge (a refresher still starting answers 503); the sandbox's next scheduled push is ten minutes
     * away on a clock this test never moves, so the test repeats the push itself.
     */
    private static boolean ticketAcknowledged(WeChatSandbox sandbox) {
        List<TicketPushReply> replies = sandbox.pushReplies();
        if (replies.stream().anyMatch(TicketPushReply::succeeded)) {
            return true;
        }
        if (!replies.isEmpty()) {
            sandbox.pushTicketNow(COMPONENT);
        }
        return false;
    }

    /** The CURRENT and OLDER counts of the rotate table's row for a topic and signing kid, e.g. "4 0". */
    private static String row(String out, String topic, String signedBy) {
        Matcher row = Pattern.compile("(?m)^" + Pattern.quote(topic) + "\\s+" + Pattern.quote(signedBy)
                        + "\\s+\\S+\\s+(\\d+)\\s+(\\d+)$")
                .matcher(out);
        return row.find() ? row.group(1) + " " + row.group(2) : "no row in:\n" + out;
    }

    /** Makes a refresher key as an operator does, adding its public half to {@code set}; returns the private file. */
    private Path generateRefresherKey(String kid, Path set) {
        Run run = RefresherRig.cli(List.of(
                "keys", "generate", "--refresher", "--kid", kid, "--dir", dir.toString(), "--add-to", set.toString()));
        assertThat(run.code()).as(run.toString()).isEqualTo(ExitCode.OK);
        Matcher file = PRIVATE_FILE.matcher(run.out());
        assertThat(file.find()).as(run.out()).isTrue();
        return Path.of(file.group(1));
    }

    private static Path newPublic(Path privateFile) {
        return privateFile.resolveSibling(
                privateFile.getFileName().toString().replace(".private.jwks.json", ".public.jwks.json"));
    }

    private Run rotate() {
        return rig.connected(
                "keys",
                "rotate",
                "--wait",
                "60s",
                "--credentials-topic",
                rig.refresher.credentialsTopic(),
                "--refresher-keys",
                dir.resolve("refresher.jwks.json").toString(),
                "--operator-key",
                operator.privateKey().toString());
    }

    private static URI callbackUrl(ConfigurableApplicationContext refresher) {
        String port = refresher.getEnvironment().getProperty("local.server.port");
        return URI.create("http://127.0.0.1:" + port + "/wechat/open-platform/" + COMPONENT + "/callback");
    }

    private ConfigurableApplicationContext refresher(Path signingKey, Path verificationKeys, String id) {
        Map<String, String> signing = new HashMap<>(Map.of("tokencast.signing.key-file", signingKey.toString()));
        if (verificationKeys != null) {
            signing.put("tokencast.signing.verification-keys-file", verificationKeys.toString());
        }
        return rig.start(id, signing);
    }
}
