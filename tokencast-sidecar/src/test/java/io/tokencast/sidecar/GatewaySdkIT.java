package io.tokencast.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tokencast.refresher.service.testing.TestRefresher;
import io.tokencast.schema.TokenKey;
import io.tokencast.testkit.MutableClock;
import io.tokencast.testkit.signing.TestRefresherKey;
import io.tokencast.testkit.wechat.SandboxSettings;
import io.tokencast.testkit.wechat.WeChatEndpoint;
import io.tokencast.testkit.wechat.WeChatSandbox;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import me.chanjar.weixin.common.bean.menu.WxMenu;
import me.chanjar.weixin.common.bean.menu.WxMenuButton;
import me.chanjar.weixin.common.bean.result.WxMediaUploadResult;
import me.chanjar.weixin.mp.api.WxMpService;
import me.chanjar.weixin.mp.api.impl.WxMpServiceImpl;
import me.chanjar.weixin.mp.bean.kefu.WxMpKefuMessage;
import me.chanjar.weixin.mp.config.WxMpHostConfig;
import me.chanjar.weixin.mp.config.impl.WxMpDefaultConfigImpl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Issue 22, 6a and 6b: unmodified WeChat SDKs whose one base URL points at the gateway make business calls
 * across a scheduled rotation and a behind-the-back invalidation, with a real refresher the only one that ever
 * fetches from WeChat. Node's {@code wechat-api} (from npm, installed by the build with {@code npm ci}) has its
 * {@code endpoint} set to the sidecar; WxJava's official-account service has its {@code WxMpHostConfig} pointed
 * at it, with no tokencast code at all.
 *
 * <p>Time is one virtual clock shared by the sandbox, the refresher and the sidecar: the scheduled rotation is
 * the clock set past the refresher's {@code nextRefreshAt}, the invalidation a third party's fetch at the
 * sandbox followed by the (2 s) overlap passing.
 */
class GatewaySdkIT {

    static final String APP = "wxgatewaysdk00001";
    static final String SECRET = "real-app-secret-no-sdk-ever-holds";
    static final TokenKey KEY = TokenKey.parse("wechat-access-token/" + APP);
    static final Path NODE_DIR = Path.of("target", "node-gateway");

    static final MutableClock clock = new MutableClock(Instant.now());
    static WeChatSandbox sandbox;
    static ConfigurableApplicationContext refresher;
    static Sidecar sidecar;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        sandbox = WeChatSandbox.start(
                        clock,
                        SandboxSettings.builder().overlap(Duration.ofSeconds(2)).build())
                .registerApp(APP, SECRET);
        TestRefresher recipe = TestRefresher.named("gateway-sdk", clock)
                .sandbox(sandbox)
                .wechatApp(APP, SECRET, "classic")
                .property("tokencast.admin.min-interval-per-key", "1s");
        String tokens = recipe.tokensTopic();
        String reports = recipe.reportsTopic();
        refresher = recipe.start("gateway-sdk-refresher");
        sidecar = Sidecar.start(
                SidecarConfig.defaults(Topics.bootstrapServers())
                        .withRefresherKeys(TestRefresherKey.shared().publicJwkSetFile())
                        .withTopics(tokens, reports)
                        .withGateway(GatewayConfig.towards(sandbox.url(), dir.resolve("handle.key"))),
                clock);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> sidecar.isReady() && sidecar.view().find(KEY).isPresent());
    }

    @AfterAll
    static void stop() {
        sidecar.close();
        refresher.close();
        sandbox.close();
    }

    @Test
    void nodeWechatApiPointedAtTheGatewayNeverFetchesAndNeverFails() throws Exception {
        Path work = Files.createDirectories(dir.resolve("node-gateway"));
        NodeClient node = NodeClient.start(work, sidecar.url().toString(), "any-secret-the-sidecar-ignores");

        node.awaitRounds(3);
        rotateAndInvalidate(() -> node.awaitMoreRounds(3));
        NodeClient.Summary summary = node.stop();

        assertThat(summary.failures()).as(summary.toString()).isZero();
        assertThat(summary.rounds()).isGreaterThanOrEqualTo(9);
        assertThat(sandbox.tokenFetchesBy("node-urllib"))
                .as("the node SDK never fetched a token from WeChat")
                .isZero();

        // Negative control: the same client pointed straight at "WeChat" fetches a token for itself.
        NodeClient direct = NodeClient.start(
                Files.createDirectories(dir.resolve("node-direct")),
                sandbox.url().toString(),
                SECRET);
        direct.awaitRounds(1);
        assertThat(direct.stop().failures()).isZero();
        assertThat(sandbox.tokenFetchesBy("node-urllib")).isGreaterThanOrEqualTo(1);
        // Its fetch superseded the fleet's token; the refresher's next one is a later test's business.
        freshFleetToken();
    }

    @Test
    void wxJavaMpWithItsHostConfigPointedAtTheGatewayNeverFetchesAndNeverFails() throws Exception {
        WxMpDefaultConfigImpl config = new WxMpDefaultConfigImpl();
        config.setAppId(APP);
        config.setSecret("any-secret-the-sidecar-ignores");
        String base = sidecar.url().toString();
        config.setHostConfig(new WxMpHostConfig(base, base, base));
        WxMpService wx = new WxMpServiceImpl();
        wx.setWxMpConfigStorage(config);
        File media = dir.resolve("wxjava.jpg").toFile();
        Files.write(media.toPath(), new byte[64 * 1024]);

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger rounds = new AtomicInteger();
        List<String> failures = new CopyOnWriteArrayList<>();
        Thread caller = new Thread(() -> {
            while (running.get()) {
                int i = rounds.get();
                try {
                    wx.getKefuService()
                            .sendKefuMessage(WxMpKefuMessage.TEXT()
                                    .toUser("openid-" + i)
                                    .content("hello " + i)
                                    .build());
                    WxMenu menu = new WxMenu();
                    WxMenuButton button = new WxMenuButton();
                    button.setType("click");
                    button.setName("menu-" + i);
                    button.setKey("k" + i);
                    menu.getButtons().add(button);
                    wx.getMenuService().menuCreate(menu);
                    assertThat(wx.getMenuService()
                                    .menuGet()
                                    .getMenu()
                                    .getButtons()
                                    .get(0)
                                    .getName())
                            .isEqualTo("menu-" + i);
                    assertThat(wx.getUserService().userInfo("openid-" + i).getOpenId())
                            .isEqualTo("openid-" + i);
                    WxMediaUploadResult uploaded = wx.getMaterialService().mediaUpload("image", media);
                    File downloaded = wx.getMaterialService().mediaDownload(uploaded.getMediaId());
                    assertThat(downloaded).hasSize(media.length());
                } catch (Exception | AssertionError e) {
                    failures.add(e.toString());
                }
                rounds.incrementAndGet();
            }
        });
        caller.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> rounds.get() >= 3);
            rotateAndInvalidate(() -> {
                int now = rounds.get();
                await().atMost(Duration.ofSeconds(30)).until(() -> rounds.get() >= now + 3);
            });
        } finally {
            running.set(false);
            caller.join(30_000);
        }

        assertThat(failures).isEmpty();
        assertThat(sandbox.tokenFetchesBy("Apache-HttpClient"))
                .as("WxJava never fetched a token from WeChat")
                .isZero();
    }

    /**
     * A scheduled rotation, then a behind-the-back invalidation, each while {@code moreCalls} runs: WeChat sees
     * exactly the refresher's fetch for each, plus the third party's own.
     */
    static void rotateAndInvalidate(Runnable moreCalls) throws Exception {
        long version = sidecar.view().token(KEY).version();
        long issued = sandbox.tokensIssued(APP, WeChatEndpoint.TOKEN);
        Instant nextRefreshAt = sidecar.view().snapshot().get(KEY).nextRefreshAt();
        clock.set(nextRefreshAt.plusSeconds(1));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> sidecar.view().token(KEY).version() > version);
        assertThat(sandbox.tokensIssued(APP, WeChatEndpoint.TOKEN)).isEqualTo(issued + 1);
        moreCalls.run();

        long rotated = sidecar.view().token(KEY).version();
        String dead = sidecar.view().token(KEY).value();
        fetchBehindTheBack();
        clock.advance(Duration.ofSeconds(3));
        assertThat(sandbox.checkToken(dead)).isEqualTo(40001);
        moreCalls.run();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> sidecar.view().token(KEY).version() > rotated);
        moreCalls.run();
        assertThat(sandbox.tokensIssued(APP, WeChatEndpoint.TOKEN))
                .as("the scheduled fetch, the third party's, and exactly one for the invalidation")
                .isEqualTo(issued + 3);
    }

    /** After a test that let something else fetch, waits until the fleet's token is alive at the sandbox again. */
    static void freshFleetToken() throws Exception {
        long version = sidecar.view().token(KEY).version();
        clock.advance(Duration.ofSeconds(3));
        HttpResponse<String> probe = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(sidecar.url() + "/cgi-bin/getcallbackip"))
                                .header("X-Tokencast-Key", KEY.asString())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(probe.body()).contains("ip_list");
        assertThat(sidecar.view().token(KEY).version()).isGreaterThan(version);
    }

    static void fetchBehindTheBack() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(sandbox.url() + "/cgi-bin/token?grant_type=client_credential"
                                        + "&appid=" + APP + "&secret=" + SECRET))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.body()).contains("access_token");
    }

    /** The node client process: its output lines, read as they come. */
    static final class NodeClient {
        private final Process process;
        private final Path work;
        private final List<String> lines = new CopyOnWriteArrayList<>();

        private NodeClient(Process process, Path work) {
            this.process = process;
            this.work = work;
            Thread reader = new Thread(() -> {
                try (BufferedReader in =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (java.io.IOException ignored) {
                    // the process ended
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        static NodeClient start(Path work, String endpoint, String secret) throws Exception {
            Path script = NODE_DIR.resolve("gateway-client.cjs").toAbsolutePath();
            assertThat(NODE_DIR.resolve("node_modules/wechat-api"))
                    .as("wechat-api installed by the build (tokencast-sidecar/pom.xml, npm ci in pre-integration-test)")
                    .isDirectory();
            Process process = new ProcessBuilder("node", script.toString(), endpoint, APP, secret)
                    .directory(work.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            return new NodeClient(process, work);
        }

        long rounds() {
            return lines.stream().filter(l -> l.startsWith("round ")).count();
        }

        void awaitRounds(int n) {
            await().atMost(Duration.ofSeconds(60)).until(() -> rounds() >= n || !process.isAlive());
            assertThat(rounds()).as(String.join("\n", lines)).isGreaterThanOrEqualTo(n);
        }

        void awaitMoreRounds(int n) {
            long now = rounds();
            awaitRounds((int) now + n);
        }

        Summary stop() throws Exception {
            Files.writeString(work.resolve("stop"), "");
            await().atMost(Duration.ofSeconds(60)).until(() -> !process.isAlive());
            String summary = lines.stream()
                    .filter(l -> l.startsWith("{"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no summary from node: " + lines));
            var json = SidecarClient.JSON.readTree(summary);
            return new Summary(json.get("rounds").asInt(), json.get("failures").asInt(), summary);
        }

        record Summary(int rounds, int failures, String text) {}
    }
}
