package io.tokencast.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import cn.binarywang.wx.miniapp.api.WxMaService;
import cn.binarywang.wx.miniapp.api.impl.WxMaServiceImpl;
import cn.binarywang.wx.miniapp.config.impl.WxMaDefaultConfigImpl;
import io.tokencast.consumer.Token;
import io.tokencast.refresher.service.testing.TestRefresher;
import io.tokencast.schema.TokenKey;
import io.tokencast.testkit.signing.TestRefresherKey;
import io.tokencast.testkit.wechat.SandboxCall;
import io.tokencast.testkit.wechat.SandboxSettings;
import io.tokencast.testkit.wechat.WeChatEndpoint;
import io.tokencast.testkit.wechat.WeChatSandbox;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import me.chanjar.weixin.common.error.WxErrorException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * WxJava's mini-program service, a third-party SDK used unmodified, takes its token from the sidecar (its
 * configurable token URL) and makes business calls at the WeChat sandbox, while a real refresher is the only
 * one that ever fetches from WeChat.
 */
class WxJavaMiniProgramIT {

    static final String APP = "wxsdkminiprogram1";
    static final String SECRET = "real-app-secret-the-sdk-never-sees";
    static final TokenKey KEY = TokenKey.parse("wechat-access-token/" + APP);

    static WeChatSandbox sandbox;
    static ConfigurableApplicationContext refresher;
    static Sidecar sidecar;

    @BeforeAll
    static void start() {
        // A superseded token dies 2 s after its successor, so a behind-the-back fetch kills it quickly.
        sandbox = WeChatSandbox.start(
                        Clock.systemUTC(),
                        SandboxSettings.builder().overlap(Duration.ofSeconds(2)).build())
                .registerApp(APP, SECRET);
        TestRefresher recipe = TestRefresher.named("sidecar-sdk", Clock.systemUTC())
                .sandbox(sandbox)
                .wechatApp(APP, SECRET, "classic")
                .property("tokencast.admin.min-interval-per-key", "1s");
        String tokens = recipe.tokensTopic();
        String reports = recipe.reportsTopic();
        refresher = recipe.start("sdk-refresher");
        sidecar = Sidecar.start(SidecarConfig.defaults(Topics.bootstrapServers())
                .withRefresherKeys(TestRefresherKey.shared().publicJwkSetFile())
                .withTopics(tokens, reports)
                .withWaits(Duration.ofSeconds(4), Duration.ofSeconds(20), 100));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> sidecar.isReady() && sidecar.view().find(KEY).isPresent());
    }

    @AfterAll
    static void stop() {
        sidecar.close();
        refresher.close();
        sandbox.close();
    }

    /** The SDK as its users configure it, except for the two URLs: token from the sidecar, APIs at "WeChat". */
    static WxMaService sdk(boolean stable) {
        WxMaDefaultConfigImpl config = new WxMaDefaultConfigImpl();
        config.setAppid(APP);
        config.setSecret("not-a-real-secret");
        config.setApiHostUrl(sandbox.url().toString());
        config.useStableAccessToken(stable);
        config.setAccessTokenUrl(
                stable
                        ? sidecar.url() + "/cgi-bin/stable_token"
                        : sidecar.url() + "/cgi-bin/token?grant_type=client_credential&appid=%s&secret=%s");
        WxMaService service = new WxMaServiceImpl();
        service.setWxMaConfig(config);
        return service;
    }

    @Test
    void businessCallsSucceedWithTheFleetsTokenAndTheSdkNeverFetches() throws WxErrorException {
        WxMaService sdk = sdk(false);
        long fetchesBefore = sandbox.tokensIssued(APP, WeChatEndpoint.TOKEN);
        int callsBefore = sandbox.callLog().size();

        for (int i = 0; i < 20; i++) {
            assertThat(sdk.getPaidUnionId("openid-" + i, null, null, null)).startsWith("o");
            assertThat(sdk.getSecurityService().checkMessage("hello " + i)).isTrue();
        }

        Token served = sidecar.view().token(KEY);
        assertThat(sdk.getAccessToken()).isEqualTo(served.value());
        assertThat(sandbox.tokensIssued(APP, WeChatEndpoint.TOKEN))
                .as("only the refresher fetched; the SDK's 40 business calls cost WeChat no token")
                .isEqualTo(fetchesBefore);
        assertThat(businessCallsSince(callsBefore))
                .hasSize(40)
                .allMatch(c -> c.errcode() == 0 && served.fingerprint().equals(c.presentedFingerprint()));
    }

    @Test
    void afterABehindTheBackFetchForceRefreshBecomesOneReportAndOneRefresherFetch() throws Exception {
        WxMaService sdk = sdk(true);
        assertThat(sdk.getSecurityService().checkMessage("before")).isTrue();
        Token dead = sidecar.view().token(KEY);
        long refresherVersions = dead.version();

        // A third party fetches at WeChat with the real secret: the fleet's token dies after the overlap.
        fetchBehindTheBack();
        await().atMost(Duration.ofSeconds(10)).until(() -> sandbox.checkToken(dead.value()) == 40001);
        assertThatThrownBy(() -> sdk.getSecurityService().checkMessage("dead token"))
                .isInstanceOf(WxErrorException.class)
                .satisfies(e -> assertThat(((WxErrorException) e).getError().getErrorCode())
                        .isEqualTo(40001));

        // The service asks its SDK for a forced refresh; the sidecar turns it into a report.
        String fresh = sdk.getAccessToken(true);

        assertThat(fresh).isNotEqualTo(dead.value());
        assertThat(sdk.getSecurityService().checkMessage("after")).isTrue();
        assertThat(sandbox.tokensIssued(APP, WeChatEndpoint.STABLE_TOKEN))
                .as("never a stable-token fetch, forced or not")
                .isZero();
        assertThat(sandbox.tokensIssued(APP, WeChatEndpoint.TOKEN))
                .as("the refresher's fetches plus the third party's one; none by the SDK")
                .isEqualTo(sidecar.view().token(KEY).version() + 1)
                .isEqualTo(refresherVersions + 2);
    }

    private static List<SandboxCall> businessCallsSince(int index) {
        List<SandboxCall> log = sandbox.callLog();
        return log.subList(index, log.size()).stream()
                .filter(c -> c.endpoint() == WeChatEndpoint.WXA_GET_PAID_UNIONID
                        || c.endpoint() == WeChatEndpoint.WXA_MSG_SEC_CHECK)
                .toList();
    }

    private static void fetchBehindTheBack() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(sandbox.url() + "/cgi-bin/token?grant_type=client_credential"
                                        + "&appid=" + APP + "&secret=" + SECRET))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.body()).contains("access_token");
    }
}
