package io.tokencast.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tokencast.schema.TokenKey;
import io.tokencast.testkit.MutableClock;
import io.tokencast.testkit.signing.TestRefresherKey;
import io.tokencast.testkit.wechat.WeChatSandbox;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * WeCom's ticket endpoints over real HTTP, from a plain sidecar and a gateway-mode one reading the same topic:
 * {@code get_jsapi_ticket} and {@code ticket/get?type=agent_config} answered from the view in WeCom's shape, the
 * app named by the access token (a distributed token, or a handle in gateway mode), never forwarded.
 */
class WeComTicketsIT {

    static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    static final MutableClock clock = new MutableClock(T0);
    static final String CORP = "wwticketcorp00001";
    static final String AGENT = CORP + ".1000002";
    static final String OTHER = CORP + ".1000003";
    static final String CORP_TICKET = "/cgi-bin/get_jsapi_ticket?access_token=";
    static final String AGENT_TICKET = "/cgi-bin/ticket/get?type=agent_config&access_token=";

    @TempDir
    static Path dir;

    static Topics topics;
    static WeChatSandbox upstream;
    static Sidecar plain;
    static Sidecar gateway;
    static SidecarClient client;
    static SidecarClient gatewayClient;

    @BeforeAll
    static void start() {
        topics = Topics.create("sidecar-wecom-tickets");
        upstream = WeChatSandbox.start(clock);
        List<WeComAgent> agents =
                List.of(new WeComAgent(CORP, "1000002", Optional.of("/wecom/1000002"), Optional.empty()));
        SidecarConfig config = SidecarConfig.defaults(Topics.bootstrapServers())
                .withRefresherKeys(TestRefresherKey.shared().publicJwkSetFile())
                .withTopics(topics.tokens, topics.reports)
                .withWeComAgents(agents);
        plain = Sidecar.start(config, clock);
        gateway = Sidecar.start(
                config.withGateway(GatewayConfig.towards(upstream.url(), dir.resolve("handle.key"))), clock);
        client = new SidecarClient(plain.url());
        gatewayClient = new SidecarClient(gateway.url());
        publish("wecom-access-token/" + AGENT, "tok-wecom-agent-2", Duration.ofMinutes(110));
        publish("wecom-access-token/" + OTHER, "tok-wecom-agent-3", Duration.ofMinutes(110));
        publish("wechat-access-token/wxticketapp00001", "tok-wechat-app-1", Duration.ofMinutes(90));
        // Tickets are refreshed in their last 300 s, so expires_in is their raw life minus the margin.
        publish("wecom-jsapi-ticket/" + CORP, "ticket-wecom-corp-1", Duration.ofMinutes(116));
        publish("wecom-agent-jsapi-ticket/" + AGENT, "ticket-wecom-agent-2", Duration.ofMinutes(116));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        plain.close();
        topics.close();
        upstream.close();
    }

    static void publish(String key, String token, Duration refreshAfter) {
        TokenKey tokenKey = TokenKey.parse(key);
        topics.publish(tokenKey, 1, token, T0, T0.plus(Duration.ofHours(2)), T0.plus(refreshAfter));
        await().atMost(Duration.ofSeconds(30)).until(() -> List.of(plain, gateway).stream()
                .allMatch(s -> s.view().isReady() && s.view().find(tokenKey).isPresent()));
    }

    @Test
    void bothTicketsAreServedInWeComsShapeWithTheSafeExpiresIn() {
        JsonNode corp = client.get(CORP_TICKET + "tok-wecom-agent-2").json();
        JsonNode agent = client.get(AGENT_TICKET + "tok-wecom-agent-2").json();

        assertThat(corp.propertyNames()).containsExactly("errcode", "errmsg", "ticket", "expires_in");
        assertThat(corp.get("errcode").asInt()).isZero();
        assertThat(corp.get("errmsg").asString()).isEqualTo("ok");
        assertThat(corp.get("ticket").asString()).isEqualTo("ticket-wecom-corp-1");
        // min(expiresAt = +120 min, nextRefreshAt + 300 s = +121 min) - now - 60 s
        assertThat(corp.get("expires_in").asLong()).isEqualTo(120 * 60 - 60);
        assertThat(agent.propertyNames()).containsExactly("errcode", "errmsg", "ticket", "expires_in");
        assertThat(agent.get("ticket").asString()).isEqualTo("ticket-wecom-agent-2");
        assertThat(agent.get("expires_in").asLong()).isEqualTo(120 * 60 - 60);
    }

    @Test
    void theTokenNamesTheAppAndEveryAppOfTheCorpGetsTheCorpsTicket() {
        assertThat(client.get(CORP_TICKET + "tok-wecom-agent-3")
                        .json()
                        .get("ticket")
                        .asString())
                .isEqualTo("ticket-wecom-corp-1");
        assertThat(client.get("/wecom/1000002" + AGENT_TICKET + "tok-wecom-agent-2")
                        .json()
                        .get("ticket")
                        .asString())
                .isEqualTo("ticket-wecom-agent-2");
    }

    @Test
    void errorsAnswerInWeChatsShapeAndAnUnknownTicketIs40013() {
        SidecarClient.Reply unknown = client.get(AGENT_TICKET + "tok-wecom-agent-3");

        assertThat(unknown.status()).isEqualTo(200);
        assertThat(unknown.json().get("errcode").asInt()).isEqualTo(40013);
        assertThat(unknown.json().get("errmsg").asString()).contains("wecom-agent-jsapi-ticket/" + OTHER);
        assertThat(errcode(client.get("/cgi-bin/get_jsapi_ticket"))).isEqualTo(41001);
        assertThat(errcode(client.get(CORP_TICKET + "forged"))).isEqualTo(40014);
        assertThat(errcode(client.get(CORP_TICKET + "tok-wechat-app-1"))).isEqualTo(40014);
        assertThat(errcode(client.get("/cgi-bin/ticket/get?type=jsapi&access_token=tok-wecom-agent-2")))
                .isEqualTo(40097);
        assertThat(errcode(client.get("/wecom/1000002" + AGENT_TICKET + "tok-wecom-agent-3")))
                .as("below an agent's prefix, only that agent's token")
                .isEqualTo(40014);
        assertThat(errcode(client.post(CORP_TICKET + "tok-wecom-agent-2", "{}")))
                .isEqualTo(43001);
        assertThat(client.get("/v1/tokens/wecom-agent-jsapi-ticket/" + OTHER).status())
                .isEqualTo(404);
        assertThat(client.get("/v1/tokens/wecom-jsapi-ticket/" + CORP)
                        .json()
                        .get("token")
                        .asString())
                .isEqualTo("ticket-wecom-corp-1");
    }

    @Test
    void inGatewayModeAHandleNamesTheAppTheTicketsStayRealAndNothingIsForwarded() {
        String handle = gatewayClient
                .get("/wecom/1000002/cgi-bin/gettoken?corpid=" + CORP + "&corpsecret=ignored")
                .json()
                .get("access_token")
                .asString();
        assertThat(handle).startsWith("tch1.");

        JsonNode corp = gatewayClient.get(CORP_TICKET + handle).json();
        JsonNode agent = gatewayClient.get(AGENT_TICKET + handle).json();

        assertThat(corp.propertyNames()).containsExactly("errcode", "errmsg", "ticket", "expires_in");
        assertThat(corp.get("ticket").asString()).isEqualTo("ticket-wecom-corp-1");
        assertThat(agent.get("ticket").asString()).isEqualTo("ticket-wecom-agent-2");
        assertThat(agent.get("expires_in").asLong()).isEqualTo(120 * 60 - 60);
        assertThat(gatewayClient
                        .get(AGENT_TICKET + "tok-wecom-agent-2")
                        .json()
                        .get("ticket")
                        .asString())
                .as("a distributed token names its app too")
                .isEqualTo("ticket-wecom-agent-2");
        assertThat(errcode(gatewayClient.get(CORP_TICKET + "tch1.forged"))).isEqualTo(40014);
        assertThat(errcode(gatewayClient.get(AGENT_TICKET + "tok-wecom-agent-3")))
                .isEqualTo(40013);
        assertThat(errcode(gatewayClient.get("/cgi-bin/get_jsapi_ticket"))).isEqualTo(41001);
        assertThat(upstream.callLog()).as("nothing reached the upstream").isEmpty();
    }

    private static int errcode(SidecarClient.Reply reply) {
        return reply.json().get("errcode").asInt();
    }
}
