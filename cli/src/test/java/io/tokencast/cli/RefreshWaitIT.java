package io.tokencast.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tokencast.refresher.RefresherApplication;
import io.tokencast.refresher.store.TokenStore;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import io.tokencast.testkit.LocalInfrastructure;
import io.tokencast.testkit.MutableClock;
import io.tokencast.testkit.signing.TestRefresherKey;
import io.tokencast.testkit.wechat.WeChatEndpoint;
import io.tokencast.testkit.wechat.WeChatSandbox;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The operator's round trip against a real refresher, broker, Redis and the WeChat sandbox: {@code refresh
 * --wait} returns the new version, and {@code audit --since} shows the refresh it caused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RefreshWaitIT {

    private static final String APPID = "wxc11fe5e000000001";
    private static final String SECRET = "cli-refresh-wait-secret";
    private static final TokenKey KEY = TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, APPID);

    private final String kafka = LocalInfrastructure.shared().kafkaBootstrapServers();
    private final String tokens = LocalInfrastructure.uniqueName("cli-wait-tokens");
    private final String audit = LocalInfrastructure.uniqueName("cli-wait-audit");
    private final String admin = LocalInfrastructure.uniqueName("cli-wait-admin");

    // Near real time: the broker refuses record timestamps far in the future, and the CLI's audit window is
    // taken from the wall clock.
    private final MutableClock clock = new MutableClock(Instant.now());
    private final WeChatSandbox sandbox = WeChatSandbox.start(clock).registerApp(APPID, SECRET);
    private ConfigurableApplicationContext refresher;

    @TempDir
    static Path keys;

    private OperatorKeyFiles operator;

    @BeforeAll
    void startARefresherWithOneClassicApp() {
        operator = OperatorKeyFiles.generate(keys, "ops-cli-it");
        refresher = new SpringApplicationBuilder(RefresherApplication.class)
                .initializers(ctx -> ctx.getBeanFactory().registerSingleton("testClock", clock))
                .run(List.of(
                                "server.port=0",
                                "management.server.port=0",
                                "spring.main.banner-mode=off",
                                "spring.kafka.bootstrap-servers=" + kafka,
                                "spring.data.redis.url="
                                        + LocalInfrastructure.shared().redisUrl(),
                                "tokencast.instance-id=cli-wait-refresher",
                                "tokencast.topics.tokens=" + tokens,
                                "tokencast.topics.audit=" + audit,
                                "tokencast.topics.admin=" + admin,
                                "tokencast.topics.credentials=" + tokens + "-credentials",
                                "tokencast.redis.key-prefix=" + LocalInfrastructure.uniqueName("cli-wait") + ":",
                                "tokencast.wechat.api-base-url=" + sandbox.url(),
                                "tokencast.wechat.allow-insecure-base-url=true",
                                "tokencast.wecom.api-base-url=" + sandbox.url(),
                                "tokencast.wecom.allow-insecure-base-url=true",
                                "tokencast.refresh.tick=100ms",
                                "tokencast.admin.group-id=" + LocalInfrastructure.uniqueName("cli-wait-group"),
                                operator.refresherProperty(),
                                "tokencast.consumer.enabled=false",
                                "tokencast.apps[0].kind=wechat-access-token",
                                "tokencast.apps[0].account=" + APPID,
                                "tokencast.apps[0].secret=" + SECRET,
                                "tokencast.apps[0].api=classic",
                                "tokencast.signing.key-file="
                                        + TestRefresherKey.shared().privateJwkSetFile())
                        .stream()
                        .map(p -> "--" + p)
                        .toArray(String[]::new));
        TokenStore store = refresher.getBean(TokenStore.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> store.read(KEY).version() == 1);
    }

    @AfterAll
    void stop() {
        try {
            if (refresher != null) {
                refresher.close();
            }
        } finally {
            sandbox.close();
        }
    }

    @Test
    void refreshWaitPrintsTheNewVersionAndAuditShowsTheRefresh() {
        Run refresh = cli(
                "refresh",
                KEY.asString(),
                "--wait",
                "30s",
                "--operator-key",
                operator.privateKey().toString(),
                "--on-behalf-of",
                "ticket-42");

        assertThat(refresh.code).as(refresh.toString()).isEqualTo(ExitCode.OK);
        assertThat(refresh.out).contains("refreshed " + KEY + " to version 2");
        assertThat(sandbox.calls(APPID, WeChatEndpoint.TOKEN)).isEqualTo(2);
        assertThat(refresher.getBean(TokenStore.class).read(KEY).version()).isEqualTo(2);

        Run history = cli("audit", KEY.asString(), "--since", "1h");

        assertThat(history.code).as(history.toString()).isEqualTo(ExitCode.OK);
        assertThat(history.out.lines().filter(line -> line.contains("MANUAL")))
                .singleElement()
                .satisfies(line -> assertThat(line).contains(KEY.asString(), "REFRESHED", "ops-cli-it for ticket-42"));
        assertThat(history.out).contains("STARTUP", "2 attempt(s)");
        assertThat(refresh.out + history.out).doesNotContain(SECRET);
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
