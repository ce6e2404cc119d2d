package io.tokencast.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.testkit.MutableClock;
import io.tokencast.testkit.signing.TestRefresherKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The WeChat-shaped token endpoints over real HTTP: answers, {@code expires_in} and errors as WeChat's. */
class WeChatApiIT {

    static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    static final MutableClock clock = new MutableClock(T0);
    static final String APP = "wxwechatapi000001";
    static final String CORP = "wwcorp00000000001";
    static Topics topics;
    static Sidecar sidecar;
    static SidecarClient client;
    static TokenRefreshed app;

    @BeforeAll
    static void start() throws Exception {
        topics = Topics.create("sidecar-wechat");
        String secretHash = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256")
                        .digest("agent-2-corpsecret".getBytes(StandardCharsets.UTF_8)));
        sidecar = Sidecar.start(
                SidecarConfig.defaults(Topics.bootstrapServers())
                        .withRefresherKeys(TestRefresherKey.shared().publicJwkSetFile())
                        .withTopics(topics.tokens, topics.reports)
                        .withWaits(Duration.ofSeconds(10), Duration.ofSeconds(20), 100)
                        .withWeComAgents(List.of(
                                new WeComAgent(CORP, "1000001", Optional.of("/wecom/1000001"), Optional.empty()),
                                new WeComAgent(CORP, "1000002", Optional.empty(), Optional.of(secretHash)))),
                clock);
        client = new SidecarClient(sidecar.url());
        // A classic token: refreshed at 75 % of its life (90 min), so WeChat kills it 5 min after that.
        app = publish("wechat-access-token/" + APP, 1, "tok-app-1", Duration.ofHours(2), Duration.ofMinutes(90));
        publish("wechat-jsapi-ticket/" + APP, 1, "ticket-jsapi-1", Duration.ofHours(2), Duration.ofMinutes(115));
        publish(
                "wecom-access-token/" + CORP + ".1000001",
                1,
                "tok-agent-1",
                Duration.ofHours(2),
                Duration.ofMinutes(110));
        publish(
                "wecom-access-token/" + CORP + ".1000002",
                1,
                "tok-agent-2",
                Duration.ofHours(2),
                Duration.ofMinutes(110));
        publish(
                "wechat-component-access-token/wxcomponent000001",
                1,
                "tok-component-1",
                Duration.ofHours(2),
                Duration.ofMinutes(110));
        publish(
                "wechat-authorizer-access-token/wxcomponent000001.wxauthorizer00001",
                1,
                "tok-authorizer-1",
                Duration.ofHours(2),
                Duration.ofMinutes(90));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> client.get("/health/ready").status() == 200);
    }

    @AfterAll
    static void stop() {
        sidecar.close();
        topics.close();
    }

    static TokenRefreshed publish(String key, long version, String token, Duration life, Duration refreshAfter) {
        TokenRefreshed event =
                topics.publish(TokenKey.parse(key), version, token, T0, T0.plus(life), T0.plus(refreshAfter));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> sidecar.view().isReady()
                        && sidecar.view()
                                .find(TokenKey.parse(key))
                                .map(t -> t.version() >= version)
                                .orElse(false));
        return event;
    }

    @Test
    void classicTokenAnswersOnlyTheTokenAndTheSecondsItIsSafe() {
        SidecarClient.Reply reply =
                client.get("/cgi-bin/token?grant_type=client_credential&appid=" + APP + "&secret=anything");

        assertThat(reply.status()).isEqualTo(200);
        JsonNode body = reply.json();
        assertThat(body.propertyNames()).containsExactly("access_token", "expires_in");
        assertThat(body.get("access_token").asString()).isEqualTo("tok-app-1");
        // min(expiresAt = +120 min, nextRefreshAt + 300 s = +95 min) - now - 60 s
        assertThat(body.get("expires_in").asLong()).isEqualTo(95 * 60 - 60);
    }

    @Test
    void expiresInCountsDownWithTheClockAndNeverGoesNegative() {
        clock.set(T0.plus(Duration.ofMinutes(94)));
        try {
            JsonNode late = client.get("/cgi-bin/token?grant_type=client_credential&appid=" + APP)
                    .json();
            assertThat(late.get("expires_in").asLong()).isZero();
            clock.set(T0.plus(Duration.ofMinutes(30)));
            JsonNode early = client.get("/cgi-bin/token?grant_type=client_credential&appid=" + APP)
                    .json();
            assertThat(early.get("expires_in").asLong()).isEqualTo(65 * 60 - 60);
        } finally {
            clock.set(T0);
        }
    }

    @Test
    void classicTokenErrorsAreWeChatsOwn() {
        assertThat(errcode(client.get("/cgi-bin/token?grant_type=client_credential")))
                .isEqualTo(41002);
        assertThat(errcode(client.get("/cgi-bin/token?grant_type=password&appid=" + APP)))
                .isEqualTo(40002);
        assertThat(errcode(client.get("/cgi-bin/token?grant_type=client_credential&appid=wxunknown00000001")))
                .isEqualTo(40013);
        SidecarClient.Reply post = client.post("/cgi-bin/token?grant_type=client_credential&appid=" + APP, "{}");
        assertThat(post.status()).isEqualTo(200);
        assertThat(errcode(post)).isEqualTo(43001);
    }

    @Test
    void stableTokenServesTheViewsTokenAndRefusesGet() {
        SidecarClient.Reply reply = client.post(
                "/cgi-bin/stable_token",
                "{\"grant_type\":\"client_credential\",\"appid\":\"" + APP + "\",\"secret\":\"s\"}");

        assertThat(reply.json().get("access_token").asString()).isEqualTo("tok-app-1");
        assertThat(reply.json().get("expires_in").asLong()).isEqualTo(95 * 60 - 60);
        assertThat(errcode(client.get("/cgi-bin/stable_token"))).isEqualTo(43002);
        assertThat(errcode(client.post("/cgi-bin/stable_token", "{\"grant_type\":\"client_credential\"}")))
                .isEqualTo(41002);
        assertThat(errcode(client.post("/cgi-bin/stable_token", "[1,2]"))).isEqualTo(47001);
    }

    @Test
    void forceRefreshBecomesAReportOfTheCurrentFingerprintAndAnswersTheNextToken() {
        TokenRefreshed current = publish(
                "wechat-access-token/wxforcerefresh001",
                1,
                "tok-force-1",
                Duration.ofHours(2),
                Duration.ofMinutes(115));

        CompletableFuture<SidecarClient.Reply> forcing = client.postAsync(
                "/cgi-bin/stable_token",
                "{\"grant_type\":\"client_credential\",\"appid\":\"wxforcerefresh001\",\"force_refresh\":true}");
        await().atMost(Duration.ofSeconds(10)).until(() -> topics.reportsSoFar().stream()
                .anyMatch(r -> r.tokenKey().account().equals("wxforcerefresh001")
                        && current.fingerprint().equals(r.ifFingerprint())
                        && !r.force()));
        publish(
                "wechat-access-token/wxforcerefresh001",
                2,
                "tok-force-2",
                Duration.ofHours(2),
                Duration.ofMinutes(115));

        assertThat(forcing.join().json().get("access_token").asString()).isEqualTo("tok-force-2");
    }

    @Test
    void wecomGettokenPicksTheAgentByPathPrefixOrBySecretHash() {
        JsonNode byPrefix = client.get("/wecom/1000001/cgi-bin/gettoken?corpid=" + CORP + "&corpsecret=whatever")
                .json();
        assertThat(byPrefix.get("errcode").asInt()).isZero();
        assertThat(byPrefix.get("errmsg").asString()).isEqualTo("ok");
        assertThat(byPrefix.get("access_token").asString()).isEqualTo("tok-agent-1");

        JsonNode byHash = client.get("/cgi-bin/gettoken?corpid=" + CORP + "&corpsecret=agent-2-corpsecret")
                .json();
        assertThat(byHash.get("access_token").asString()).isEqualTo("tok-agent-2");
        assertThat(byHash.get("expires_in").asLong()).isEqualTo(115 * 60 - 60);

        assertThat(errcode(client.get("/cgi-bin/gettoken?corpid=" + CORP + "&corpsecret=other")))
                .isEqualTo(40091);
        assertThat(errcode(client.get("/wecom/1000001/cgi-bin/gettoken?corpid=wwother&corpsecret=x")))
                .isEqualTo(40013);
        assertThat(errcode(client.get("/cgi-bin/gettoken?corpsecret=x"))).isEqualTo(41002);
    }

    @Test
    void getticketFindsTheAppByTheTokenItHandedOut() {
        JsonNode ticket = client.get("/cgi-bin/ticket/getticket?type=jsapi&access_token=tok-app-1")
                .json();

        assertThat(ticket.propertyNames()).containsExactly("errcode", "errmsg", "ticket", "expires_in");
        assertThat(ticket.get("ticket").asString()).isEqualTo("ticket-jsapi-1");
        assertThat(ticket.get("expires_in").asLong()).isEqualTo(120 * 60 - 60);
        assertThat(errcode(client.get("/cgi-bin/ticket/getticket?type=jsapi"))).isEqualTo(41001);
        assertThat(errcode(client.get("/cgi-bin/ticket/getticket?type=jsapi&access_token=forged")))
                .isEqualTo(40001);
        assertThat(errcode(client.get("/cgi-bin/ticket/getticket?type=nope&access_token=tok-app-1")))
                .isEqualTo(40097);
        assertThat(errcode(client.get("/cgi-bin/ticket/getticket?type=wx_card&access_token=tok-app-1")))
                .as("no card ticket is published for this app")
                .isEqualTo(40013);
    }

    @Test
    void openPlatformEndpointsServeComponentAndAuthorizerTokens() {
        JsonNode component = client.post(
                        "/cgi-bin/component/api_component_token",
                        "{\"component_appid\":\"wxcomponent000001\",\"component_appsecret\":\"s\","
                                + "\"component_verify_ticket\":\"ticket@@@x\"}")
                .json();
        assertThat(component.get("component_access_token").asString()).isEqualTo("tok-component-1");

        JsonNode authorizer = client.post(
                        "/cgi-bin/component/api_authorizer_token?component_access_token=tok-component-1",
                        "{\"component_appid\":\"wxcomponent000001\",\"authorizer_appid\":\"wxauthorizer00001\","
                                + "\"authorizer_refresh_token\":\"refreshtoken@@@mine\"}")
                .json();
        assertThat(authorizer.get("authorizer_access_token").asString()).isEqualTo("tok-authorizer-1");
        assertThat(authorizer.get("expires_in").asLong()).isEqualTo(95 * 60 - 60);
        assertThat(authorizer.get("authorizer_refresh_token").asString()).isEqualTo("refreshtoken@@@mine");

        assertThat(errcode(client.post("/cgi-bin/component/api_component_token", "{}")))
                .isEqualTo(41002);
        assertThat(errcode(client.get("/cgi-bin/component/api_component_token")))
                .isEqualTo(43002);
    }

    @Test
    void businessPathsAreNotServedInTokenMode() {
        SidecarClient.Reply reply = client.get("/cgi-bin/menu/get?access_token=tok-app-1");
        assertThat(reply.status()).isEqualTo(404);
        assertThat(errcode(reply)).isEqualTo(48001);
    }

    private static int errcode(SidecarClient.Reply reply) {
        return reply.json().get("errcode").asInt();
    }
}
