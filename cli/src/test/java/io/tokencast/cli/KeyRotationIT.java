package io.tokencast.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tokencast.consumer.Token;
import io.tokencast.consumer.TokenView;
import io.tokencast.refresher.RefresherApplication;
import io.tokencast.refresher.store.TokenStore;
import io.tokencast.schema.RefreshReason;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.testkit.LocalInfrastructure;
import io.tokencast.testkit.MutableClock;
import io.tokencast.testkit.signing.TestRefresherKey;
import io.tokencast.testkit.wechat.WeChatSandbox;
import io.tokencast.trust.encryption.EncryptionKeyring;
import io.tokencast.trust.encryption.RecordEncryption;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A whole staged rotation (docs/security.md §5) with live consumers reading all along: the new key reaches the
 * consumers, the refresher is promoted to it, {@code tokencast keys rotate} re-publishes every token under it,
 * and the old key can go. Not one read fails, and WeChat is not asked for a single extra token.
 */
class KeyRotationIT {

    /** One refresher key for every refresher started here: they read back what each other signed. */
    private static final java.nio.file.Path SIGNING_KEY =
            TestRefresherKey.shared().privateJwkSetFile();

    private static final List<String> APPIDS =
            List.of("wxr07a7e0000000001", "wxr07a7e0000000002", "wxr07a7e0000000003");

    private final String kafka = LocalInfrastructure.shared().kafkaBootstrapServers();
    private final String tokens = LocalInfrastructure.uniqueName("rotation-tokens");
    private final String audit = LocalInfrastructure.uniqueName("rotation-audit");
    private final String admin = LocalInfrastructure.uniqueName("rotation-admin");
    private final String prefix = LocalInfrastructure.uniqueName("rotation") + ":";
    private final String group = LocalInfrastructure.uniqueName("rotation-group");
    private final MutableClock clock = new MutableClock(Instant.now());
    private final EncryptionKeyring oldKey =
            EncryptionKeyring.generate("rot-2026-11", List.of("wechat-access-token/*"));
    private final EncryptionKeyring newKey =
            EncryptionKeyring.generate("rot-2026-12", List.of("wechat-access-token/*"));

    @TempDir
    Path keys;

    private OperatorKeyFiles operator;

    @Test
    void rotatingWithLiveConsumersFailsNoReadAndFetchesNothing() throws Exception {
        operator = OperatorKeyFiles.generate(keys, "ops-rotation-it");
        try (WeChatSandbox sandbox = WeChatSandbox.start(clock)) {
            APPIDS.forEach(appid -> sandbox.registerApp(appid, "secret-" + appid));
            List<TokenKey> keys = APPIDS.stream()
                    .map(appid -> TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, appid))
                    .toList();
            ConfigurableApplicationContext refresher = refresher(sandbox, oldKey, "rotation-1");
            List<TokenView> views = new ArrayList<>();
            Readers[] running = new Readers[1];
            try {
                TokenStore store = refresher.getBean(TokenStore.class);
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> keys.stream().allMatch(k -> store.read(k).version() == 1));
                long fetches = sandbox.callLog().size();

                // (1) the new key reaches the consumers, which keep the old one too
                for (int i = 0; i < 3; i++) {
                    views.add(view(oldKey.with(newKey)));
                }
                views.forEach(v -> v.awaitReady(Duration.ofSeconds(30)));
                Readers readers = new Readers(views, keys);
                running[0] = readers;
                readers.start();
                await().atMost(Duration.ofSeconds(10)).until(() -> readers.reads.get() > 1_000);
                Map<TokenKey, String> fingerprints = fingerprints(views.get(0), keys);

                // (3) the refresher is promoted: the new key takes new writes
                refresher.close();
                refresher = refresher(sandbox, oldKey.with(newKey), "rotation-2");

                // (4) tokencast keys rotate re-publishes every current token under the new key
                Run rotate = cli(
                        "keys",
                        "rotate",
                        "--wait",
                        "60s",
                        "--operator-key",
                        operator.privateKey().toString(),
                        "--credentials-topic",
                        tokens + "-credentials");

                assertThat(rotate.code).as(rotate.toString()).isEqualTo(ExitCode.OK);
                assertThat(rotate.out).contains("rekeyed to v2 kid=rot-2026-12");
                // The old kid keeps only the older records, which compaction removes: no key's current one.
                assertThat(rotate.out)
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
                long readsAtRotation = readers.reads.get();
                await().atMost(Duration.ofSeconds(10)).until(() -> readers.reads.get() > readsAtRotation + 1_000);
                readers.stop();

                assertThat(readers.failures)
                        .as("failed reads across the rotation")
                        .isEmpty();
                assertThat(readers.values).hasSize(keys.size()).allMatch(value -> sandbox.checkToken(value) == 0);
                assertThat(sandbox.callLog()).as("WeChat calls").hasSize((int) fetches);

                // (5) the old key can go: a consumer holding only the new one reads every token
                try (TokenView newOnly = view(newKey)) {
                    newOnly.awaitReady(Duration.ofSeconds(30));
                    keys.forEach(k -> assertThat(newOnly.token(k).fingerprint()).isEqualTo(fingerprints.get(k)));
                }
            } finally {
                if (running[0] != null) {
                    running[0].stop();
                }
                views.forEach(TokenView::close);
                refresher.close();
            }
        }
    }

    private Map<TokenKey, String> fingerprints(TokenView view, List<TokenKey> keys) {
        Map<TokenKey, String> fingerprints = new ConcurrentHashMap<>();
        keys.forEach(k -> fingerprints.put(k, view.token(k).fingerprint()));
        return fingerprints;
    }

    /** Threads reading every key in a loop, as a service under load would. */
    private static final class Readers {
        final AtomicLong reads = new AtomicLong();
        final List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        final Set<String> values = ConcurrentHashMap.newKeySet();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new ArrayList<>();

        Readers(List<TokenView> views, List<TokenKey> keys) {
            IntStream.range(0, views.size())
                    .forEach(i -> threads.add(new Thread(
                            () -> {
                                TokenView view = views.get(i);
                                while (running.get()) {
                                    for (TokenKey key : keys) {
                                        try {
                                            values.add(view.token(key).value());
                                            reads.incrementAndGet();
                                        } catch (RuntimeException e) {
                                            failures.add(key + ": " + e);
                                        }
                                    }
                                }
                            },
                            "rotation-reader-" + i)));
        }

        void start() {
            threads.forEach(Thread::start);
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread thread : threads) {
                thread.join(10_000);
            }
        }
    }

    private TokenView view(EncryptionKeyring keyring) {
        return TokenView.builder()
                .bootstrapServers(kafka)
                .topic(tokens)
                .refresherKeys(TestRefresherKey.shared().verificationKeys())
                .clientId(LocalInfrastructure.uniqueName("rotation-view"))
                .clock(clock)
                .encryptionKeyring(keyring)
                .build()
                .start();
    }

    private ConfigurableApplicationContext refresher(WeChatSandbox sandbox, EncryptionKeyring keyring, String id) {
        List<String> properties = new ArrayList<>(List.of(
                "server.port=0",
                "management.server.port=0",
                "spring.main.banner-mode=off",
                "spring.kafka.bootstrap-servers=" + kafka,
                "spring.data.redis.url=" + LocalInfrastructure.shared().redisUrl(),
                "tokencast.instance-id=" + id,
                "tokencast.topics.tokens=" + tokens,
                "tokencast.topics.audit=" + audit,
                "tokencast.topics.admin=" + admin,
                "tokencast.topics.credentials=" + tokens + "-credentials",
                "tokencast.redis.key-prefix=" + prefix,
                "tokencast.wechat.api-base-url=" + sandbox.url(),
                "tokencast.wechat.allow-insecure-base-url=true",
                "tokencast.wecom.api-base-url=" + sandbox.url(),
                "tokencast.wecom.allow-insecure-base-url=true",
                "tokencast.refresh.tick=100ms",
                "tokencast.admin.group-id=" + group,
                operator.refresherProperty(),
                "tokencast.consumer.enabled=false",
                "tokencast.encryption.keyring-json=" + keyring.toJson(),
                "tokencast.signing.key-file=" + SIGNING_KEY));
        for (int i = 0; i < APPIDS.size(); i++) {
            properties.add("tokencast.apps[" + i + "].kind=wechat-access-token");
            properties.add("tokencast.apps[" + i + "].account=" + APPIDS.get(i));
            properties.add("tokencast.apps[" + i + "].secret=secret-" + APPIDS.get(i));
        }
        return new SpringApplicationBuilder(RefresherApplication.class)
                .initializers(ctx -> ctx.getBeanFactory().registerSingleton("testClock", clock))
                .run(properties.stream().map(p -> "--" + p).toArray(String[]::new));
    }

    private Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] connection = {
            "--bootstrap-servers",
            kafka,
            "--tokens-topic",
            tokens,
            "--audit-topic",
            audit,
            "--admin-topic",
            admin,
            "--refresher-keys",
            TestRefresherKey.shared().publicJwkSetFile().toString()
        };
        String[] full = new String[args.length + connection.length];
        System.arraycopy(args, 0, full, 0, args.length);
        System.arraycopy(connection, 0, full, args.length, connection.length);
        int code = TokencastCli.run(Clock.systemUTC(), new PrintWriter(out, true), new PrintWriter(err, true), full);
        return new Run(code, out.toString(), err.toString());
    }

    private record Run(int code, String out, String err) {}
}
