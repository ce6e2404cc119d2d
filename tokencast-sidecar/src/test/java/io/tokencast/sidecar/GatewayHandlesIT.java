package io.tokencast.sidecar;

import static io.tokencast.sidecar.GatewayRig.AGENT;
import static io.tokencast.sidecar.GatewayRig.AGENT_KEY;
import static io.tokencast.sidecar.GatewayRig.APP;
import static io.tokencast.sidecar.GatewayRig.CORP;
import static io.tokencast.sidecar.GatewayRig.KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tokencast.schema.TokenKey;
import io.tokencast.testkit.wechat.SandboxCall;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Gateway mode over real HTTP (issue 22, 6c), the handles: what the token endpoints hand an SDK instead of the
 * real token (for an app, a WeCom agent behind its path prefix, a component, a client limited to its keys), how
 * long it lasts, that it survives a restart with the same key file, and that the real token replaces it upstream.
 */
class GatewayHandlesIT {

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
    void aHandleFromTheTokenEndpointWorksAndNeverReachesTheUpstream() {
        JsonNode issued = rig.client
                .get("/cgi-bin/token?grant_type=client_credential&appid=" + APP + "&secret=any")
                .json();
        String handle = issued.get("access_token").asString();
        assertThat(handle)
                .startsWith("tch1.")
                .isNotEqualTo(rig.sidecar.view().token(KEY).value());
        assertThat(issued.get("expires_in").asLong()).isPositive();

        SidecarClient.Reply reply = rig.client.get("/cgi-bin/user/info?openid=o-42&lang=en&access_token=" + handle);

        assertThat(reply.json().get("nickname").asString()).isEqualTo("user-o-42");
        SandboxCall call = rig.lastCall();
        assertThat(call.presentedFingerprint()).isEqualTo(rig.servedFingerprint());
        assertThat(call.rawQuery())
                .doesNotContain("tch1.")
                .contains("openid=o-42")
                .contains("lang=en");
    }

    @Test
    void anExpiredHandleGets42001AndAFreshOneWorks() {
        String handle = rig.client
                .get("/cgi-bin/token?grant_type=client_credential&appid=" + APP + "&secret=any")
                .json()
                .get("access_token")
                .asString();
        Instant was = rig.clock.instant();
        try {
            rig.clock.set(was.plus(Duration.ofMinutes(20)));
            int before = rig.callsNow();
            assertThat(rig.client
                            .get("/cgi-bin/menu/get?access_token=" + handle)
                            .json()
                            .get("errcode")
                            .asInt())
                    .isEqualTo(42001);
            assertThat(rig.callsNow()).isEqualTo(before);
        } finally {
            rig.clock.set(was);
        }
    }

    @Test
    void aHandleSurvivesASidecarRestartWithTheSameKeyFile() throws Exception {
        Path keyFile = dir.resolve("restart.key");
        String handle;
        try (Sidecar first = rig.startSidecar(rig.config(keyFile))) {
            await().atMost(Duration.ofSeconds(30)).until(first::isReady);
            handle = new SidecarClient(first.url())
                    .get("/cgi-bin/token?grant_type=client_credential&appid=" + APP + "&secret=any")
                    .json()
                    .get("access_token")
                    .asString();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
                .isEqualTo("rw-------");
        try (Sidecar second = rig.startSidecar(rig.config(keyFile))) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> second.isReady() && second.view().find(KEY).isPresent());
            SidecarClient.Reply reply =
                    new SidecarClient(second.url()).get("/cgi-bin/user/info?openid=o-restart&access_token=" + handle);
            assertThat(reply.json().get("openid").asString()).isEqualTo("o-restart");
        }
        try (Sidecar other = rig.startSidecar(rig.config(dir.resolve("another.key")))) {
            await().atMost(Duration.ofSeconds(30)).until(other::isReady);
            assertThat(new SidecarClient(other.url())
                            .get("/cgi-bin/user/info?openid=o&access_token=" + handle)
                            .json()
                            .get("errcode")
                            .asInt())
                    .as("worthless at a sidecar with another handle key")
                    .isEqualTo(40014);
        }
    }

    @Test
    void aWeComAgentBehindItsPathPrefixCallsQyapiWithItsHandle() {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> rig.sidecar.view().find(AGENT_KEY).isPresent());
        String base = "/wecom/" + AGENT;
        String handle = rig.client
                .get(base + "/cgi-bin/gettoken?corpid=" + CORP + "&corpsecret=ignored")
                .json()
                .get("access_token")
                .asString();
        assertThat(handle).startsWith("tch1.");

        SidecarClient.Reply reply = rig.client.get(base + "/cgi-bin/getcallbackip?access_token=" + handle);

        assertThat(reply.json().get("errcode").asInt()).isZero();
        assertThat(reply.json().get("ip_list")).isNotEmpty();
        assertThat(rig.lastCall().presentedFingerprint())
                .isEqualTo(rig.sidecar.view().token(AGENT_KEY).fingerprint());
    }

    @Test
    void ticketsStayRealAndAHandleNamesTheirApp() {
        await().atMost(Duration.ofSeconds(10)).until(() -> rig.sidecar
                .view()
                .find(TokenKey.parse("wechat-jsapi-ticket/" + APP))
                .isPresent());
        String handle = rig.client
                .get("/cgi-bin/token?grant_type=client_credential&appid=" + APP + "&secret=any")
                .json()
                .get("access_token")
                .asString();

        JsonNode ticket = rig.client
                .get("/cgi-bin/ticket/getticket?type=jsapi&access_token=" + handle)
                .json();

        assertThat(ticket.get("errcode").asInt()).isZero();
        assertThat(ticket.get("ticket").asString()).isEqualTo("ticket-jsapi-gateway-1");
    }

    @Test
    void theComponentsTokenReplacesAComponentAccessTokenHandle() throws Exception {
        String component = "wxgwcomponent0001";
        rig.sandbox.registerComponent(
                component, "component-secret", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "cb-token", null);
        rig.sandbox.pushTicketNow(component);
        String ticket = rig.sandbox.currentVerifyTicket(component).orElseThrow();
        String real = SidecarClient.JSON
                .readTree(HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(
                                                rig.sandbox.url() + "/cgi-bin/component/api_component_token"))
                                        .POST(HttpRequest.BodyPublishers.ofString("{\"component_appid\":\"" + component
                                                + "\",\"component_appsecret\":\"component-secret\","
                                                + "\"component_verify_ticket\":\"" + ticket + "\"}"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body())
                .get("component_access_token")
                .asString();
        TokenKey key = TokenKey.parse("wechat-component-access-token/" + component);
        Instant now = rig.clock.instant();
        rig.topics.publish(key, 1, real, now, now.plus(Duration.ofHours(2)), now.plus(Duration.ofMinutes(10)));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> rig.sidecar.view().find(key).isPresent());
        String handle = rig.client
                .post(
                        "/cgi-bin/component/api_component_token",
                        "{\"component_appid\":\"" + component + "\",\"component_appsecret\":\"any\","
                                + "\"component_verify_ticket\":\"any\"}")
                .json()
                .get("component_access_token")
                .asString();
        assertThat(handle).startsWith("tch1.");

        SidecarClient.Reply reply = rig.client.post(
                "/cgi-bin/component/api_get_authorizer_option?component_access_token=" + handle,
                "{\"component_appid\":\"" + component + "\",\"authorizer_appid\":\"wxauth\","
                        + "\"option_name\":\"voice_recognize\"}");

        assertThat(reply.json().get("option_value").asString()).isEqualTo("1");
        assertThat(rig.lastCall().presentedFingerprint()).isEqualTo(GatewayRig.fingerprint(real));
        assertThat(rig.lastCall().rawQuery()).doesNotContain("tch1.");
    }

    @Test
    void clientCredentialsLimitEachClientToItsKeys() throws Exception {
        SidecarConfig base = rig.config(dir.resolve("clients.key"));
        List<GatewayConfig.Client> clients = List.of(
                new GatewayConfig.Client(
                        "shop",
                        PresentedCredentials.sha256Hex("shop-client-secret"),
                        List.of("wechat-access-token/wxgateway*")),
                new GatewayConfig.Client(
                        "crm",
                        PresentedCredentials.sha256Hex("crm-client-secret"),
                        List.of("wechat-access-token/wxcrm*")));
        try (Sidecar guarded = rig.startSidecar(base.withGateway(base.gateway().withClients(clients)))) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> guarded.isReady() && guarded.view().find(KEY).isPresent());
            SidecarClient c = new SidecarClient(guarded.url());
            String tokenPath = "/cgi-bin/token?grant_type=client_credential&appid=" + APP + "&secret=";

            String handle = c.get(tokenPath + "shop-client-secret")
                    .json()
                    .get("access_token")
                    .asString();
            assertThat(c.get("/cgi-bin/user/info?openid=o-shop&access_token=" + handle)
                            .json()
                            .get("openid")
                            .asString())
                    .isEqualTo("o-shop");
            assertThat(c.get(tokenPath + "not-a-client").json().get("errcode").asInt())
                    .isEqualTo(40125);
            assertThat(c.get(tokenPath + "crm-client-secret")
                            .json()
                            .get("errcode")
                            .asInt())
                    .as("outside the crm client's keys")
                    .isEqualTo(40013);
            assertThat(c.get("/cgi-bin/menu/get", "X-Tokencast-Key", KEY.asString())
                            .json()
                            .get("errcode")
                            .asInt())
                    .as("the header names no client")
                    .isEqualTo(40014);
        }
    }
}
