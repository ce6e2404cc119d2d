package io.tokencast.sidecar;

import static io.tokencast.sidecar.GatewayRig.APP;
import static io.tokencast.sidecar.GatewayRig.KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tokencast.schema.RefreshRequested;
import io.tokencast.testkit.wechat.SandboxCall;
import io.tokencast.testkit.wechat.WeChatEndpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gateway mode over real HTTP (issue 22, 6c), the credentials: the fleet's current token goes upstream for a key
 * header or an earlier real token, also after a rotation behind the fleet's back; missing, forged and unknown
 * credentials are answered locally (the sandbox's call log does not grow); a user's own OAuth is not ours.
 */
class GatewayCredentialsIT {

    @TempDir
    static Path dir;

    static GatewayRig rig;

    @BeforeAll
    static void start() throws Exception {
        rig = GatewayRig.start(dir.resolve("handle.key"));
    }

    @AfterAll
    static void stop() {
        rig.close();
    }

    @Test
    void theKeyHeaderNamesTheAccountAndTheFleetsTokenGoesUpstream() {
        SidecarClient.Reply reply = rig.client.post(
                "/cgi-bin/message/custom/send",
                "{\"touser\":\"openid-1\",\"msgtype\":\"text\",\"text\":{\"content\":\"hi\"}}",
                "X-Tokencast-Key",
                KEY.asString(),
                "User-Agent",
                "gateway-contract-test");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("errcode").asInt()).isZero();
        SandboxCall call = rig.lastCall();
        assertThat(call.endpoint()).isEqualTo(WeChatEndpoint.CUSTOM_SEND);
        assertThat(call.presentedFingerprint()).isEqualTo(rig.servedFingerprint());
        assertThat(call.caller()).isEqualTo("gateway-contract-test");
        assertThat(call.headerNames()).doesNotContain("x-tokencast-key");
    }

    @Test
    void aRealTokenOfAnEarlierVersionIsReplacedByTheCurrentOne() throws Exception {
        String earlier = rig.sidecar.view().token(KEY).value();
        rig.current = rig.publishFresh();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> rig.sidecar.view().token(KEY).value().equals(rig.current));

        SidecarClient.Reply reply = rig.client.get("/cgi-bin/menu/get?access_token=" + GatewayRig.enc(earlier));

        assertThat(reply.json().has("errcode") ? reply.json().get("errcode").asInt() : 0)
                .isIn(0, 46003);
        assertThat(rig.lastCall().presentedFingerprint()).isEqualTo(GatewayRig.fingerprint(rig.current));
    }

    @Test
    void missingForgedUnknownAndExpiredCredentialsAreAnsweredLocally() {
        int before = rig.callsNow();

        assertThat(rig.client.get("/cgi-bin/menu/get").json().get("errcode").asInt())
                .isEqualTo(41001);
        assertThat(rig.client
                        .get("/cgi-bin/menu/get?access_token=tch1.Zm9v.YmFy")
                        .json()
                        .get("errcode")
                        .asInt())
                .isEqualTo(40014);
        assertThat(rig.client
                        .get("/cgi-bin/menu/get?access_token=not-a-token-of-ours")
                        .json()
                        .get("errcode")
                        .asInt())
                .isEqualTo(40014);
        SidecarClient.Reply ticketKey =
                rig.client.get("/cgi-bin/menu/get", "X-Tokencast-Key", "wechat-jsapi-ticket/" + APP);
        assertThat(ticketKey.json().get("errcode").asInt()).isEqualTo(40014);

        assertThat(rig.callsNow()).as("nothing reached the upstream").isEqualTo(before);
    }

    @Test
    void aRotationBehindTheBackIsAbsorbedWithOneReport() throws Exception {
        String dead = rig.sidecar.view().token(KEY).value();
        // A third party fetches at WeChat: the fleet's token dies after the (1 s) overlap.
        String thirdParty = rig.fetchBehindTheBack();
        await().atMost(Duration.ofSeconds(10)).until(() -> rig.sandbox.checkToken(dead) == 40001);
        int reportsBefore = rig.topics.reportsSoFar().size();

        List<CompletableFuture<SidecarClient.Reply>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            calls.add(rig.client.postAsync(
                    "/cgi-bin/message/custom/send",
                    "{\"touser\":\"o-" + i + "\",\"msgtype\":\"text\",\"text\":{\"content\":\"x\"}}",
                    "X-Tokencast-Key",
                    KEY.asString()));
        }
        // The refresher's part: the report arrives, a new token is published.
        await().atMost(Duration.ofSeconds(10))
                .until(() -> rig.topics.reportsSoFar().size() > reportsBefore);
        rig.current = rig.publishFresh();

        for (CompletableFuture<SidecarClient.Reply> call : calls) {
            assertThat(call.get().json().get("errcode").asInt()).isZero();
        }
        List<RefreshRequested> reports = rig.topics.reportsSoFar();
        assertThat(reports.subList(reportsBefore, reports.size()))
                .as("one report for the dead fingerprint, however many callers saw it refused")
                .hasSize(1)
                .allMatch(r -> GatewayRig.fingerprint(dead).equals(r.ifFingerprint()));
        assertThat(thirdParty).isNotEqualTo(rig.current);
    }

    @Test
    void userOAuthPathsPassThroughUntouched() {
        // Not ours: a user's OAuth exchange and a user's OAuth token go to WeChat as they are.
        SidecarClient.Reply exchange = rig.client.get(
                "/sns/oauth2/access_token?appid=" + APP + "&secret=s&code=c&grant_type=authorization_code");
        assertThat(exchange.status()).isEqualTo(404);
        assertThat(exchange.body()).contains("the WeChat sandbox does not implement /sns/oauth2/access_token");
        SidecarClient.Reply userinfo = rig.client.get("/sns/userinfo?access_token=users-own-oauth-token&openid=o");
        assertThat(userinfo.body()).contains("the WeChat sandbox does not implement /sns/userinfo");
    }
}
