package io.tokencast.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tokencast.cli.RefresherRig.Run;
import io.tokencast.refresher.store.TokenStore;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import io.tokencast.testkit.signing.TestRefresherKey;
import io.tokencast.testkit.wechat.WeChatEndpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
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

    @TempDir
    static Path keys;

    private OperatorKeyFiles operator;
    private RefresherRig rig;
    private ConfigurableApplicationContext refresher;

    @BeforeAll
    void startARefresherWithOneClassicApp() {
        operator = OperatorKeyFiles.generate(keys, "ops-cli-it");
        rig = new RefresherRig("cli-wait", operator).wechatApp(APPID, SECRET, "classic");
        refresher = rig.start("cli-wait-refresher", Map.of());
        TokenStore store = refresher.getBean(TokenStore.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> store.read(KEY).version() == 1);
    }

    @AfterAll
    void stop() {
        if (rig != null) {
            rig.close();
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

        assertThat(refresh.code()).as(refresh.toString()).isEqualTo(ExitCode.OK);
        assertThat(refresh.out()).contains("refreshed " + KEY + " to version 2");
        assertThat(rig.sandbox.calls(APPID, WeChatEndpoint.TOKEN)).isEqualTo(2);
        assertThat(refresher.getBean(TokenStore.class).read(KEY).version()).isEqualTo(2);

        Run history = cli("audit", KEY.asString(), "--since", "1h");

        assertThat(history.code()).as(history.toString()).isEqualTo(ExitCode.OK);
        assertThat(history.out().lines().filter(line -> line.contains("MANUAL")))
                .singleElement()
                .satisfies(line -> assertThat(line).contains(KEY.asString(), "REFRESHED", "ops-cli-it for ticket-42"));
        assertThat(history.out()).contains("STARTUP", "2 attempt(s)");
        assertThat(refresh.out() + history.out()).doesNotContain(SECRET);
    }

    private Run cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(
                "--refresher-keys", TestRefresherKey.shared().publicJwkSetFile().toString()));
        return rig.connected(all.toArray(String[]::new));
    }
}
