package io.tokencast.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tokencast.schema.RefreshRequested;
import io.tokencast.schema.TokenKey;
import io.tokencast.testkit.MutableClock;
import io.tokencast.testkit.signing.TestRefresherKey;
import io.tokencast.testkit.wechat.SandboxCall;
import io.tokencast.testkit.wechat.SandboxSettings;
import io.tokencast.testkit.wechat.WeChatEndpoint;
import io.tokencast.testkit.wechat.WeChatSandbox;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Gateway mode over real HTTP (issue 22, 6c): the WeChat sandbox as the upstream, real Kafka for the tokens,
 * and this test publishing what a refresher would (tokens the sandbox really issued). Every refusal is checked
 * to be local: the sandbox's call log does not grow.
 */
class GatewayIT {

    static final String APP = "wxgatewaycontract1";
    static final String SECRET = "gateway-contract-real-secret";
    static final TokenKey KEY = TokenKey.parse("wechat-access-token/" + APP);
    static final String CORP = "wwgatewaycorp0001";
    static final String AGENT = "1000002";
    static final String CORPSECRET = "gateway-contract-corpsecret";
    static final TokenKey AGENT_KEY = TokenKey.parse("wecom-access-token/" + CORP + "." + AGENT);

    @TempDir
    static Path dir;

    static WeChatSandbox sandbox;
    static Topics topics;
    static MutableClock clock;
    static Sidecar sidecar;
    static SidecarClient client;
    static final AtomicLong version = new AtomicLong();
    static String current;

    @BeforeAll
    static void start() throws Exception {
        sandbox = WeChatSandbox.start(
                        Clock.systemUTC(),
                        SandboxSettings.builder().overlap(Duration.ofSeconds(1)).build())
                .registerApp(APP, SECRET)
                .registerWeComApp(CORP, AGENT, CORPSECRET);
        topics = Topics.create("gateway");
        clock = new MutableClock(Instant.now());
        current = publishFresh();
        Instant now = clock.instant();
        String wecom = SidecarClient.JSON
                .readTree(HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(sandbox.url() + "/cgi-bin/gettoken?corpid=" + CORP
                                                + "&corpsecret=" + CORPSECRET))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body())
                .get("access_token")
                .asString();
        topics.publish(AGENT_KEY, 1, wecom, now, now.plus(Duration.ofHours(2)), now.plus(Duration.ofMinutes(10)));
        topics.publish(
                TokenKey.parse("wechat-jsapi-ticket/" + APP),
                1,
                "ticket-jsapi-gateway-1",
                now,
                now.plus(Duration.ofHours(2)),
                now.plus(Duration.ofMinutes(100)));
        sidecar = startSidecar(config(dir.resolve("handle.key")));
        client = new SidecarClient(sidecar.url());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> sidecar.isReady() && sidecar.view().find(KEY).isPresent());
    }

    static SidecarConfig config(Path handleKey) {
        return SidecarConfig.defaults(Topics.bootstrapServers())
                .withRefresherKeys(TestRefresherKey.shared().publicJwkSetFile())
                .withTopics(topics.tokens, topics.reports)
                .withWeComAgents(List.of(new WeComAgent(
                        CORP, AGENT, java.util.Optional.of("/wecom/" + AGENT), java.util.Optional.empty())))
                .withGateway(GatewayConfig.towards(sandbox.url(), handleKey)
                        .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(5))
                        .withMaxMediaBytes(12L * 1024 * 1024));
    }

    static Sidecar startSidecar(SidecarConfig config) {
        return Sidecar.start(config, clock);
    }

    @AfterAll
    static void stop() {
        sidecar.close();
        topics.close();
        sandbox.close();
    }

    /** Fetches a token at the sandbox as the refresher would, and publishes it as the next version. */
    static String publishFresh() throws Exception {
        String token = SidecarClient.JSON
                .readTree(HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(sandbox.url()
                                                + "/cgi-bin/token?grant_type=client_credential&appid=" + APP
                                                + "&secret=" + SECRET))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body())
                .get("access_token")
                .asString();
        Instant now = clock.instant();
        topics.publish(
                KEY,
                version.incrementAndGet(),
                token,
                now,
                now.plus(Duration.ofHours(2)),
                now.plus(Duration.ofMinutes(10)));
        return token;
    }

    static int callsNow() {
        return sandbox.callLog().size();
    }

    static SandboxCall lastCall() {
        List<SandboxCall> log = sandbox.callLog();
        return log.get(log.size() - 1);
    }

    static String fingerprint(String token) {
        try {
            return "sha256:"
                    + HexFormat.of()
                            .formatHex(
                                    MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)))
                            .substring(0, 16);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String servedFingerprint() {
        return sidecar.view().token(KEY).fingerprint();
    }

    @Test
    void theKeyHeaderNamesTheAccountAndTheFleetsTokenGoesUpstream() {
        SidecarClient.Reply reply = client.post(
                "/cgi-bin/message/custom/send",
                "{\"touser\":\"openid-1\",\"msgtype\":\"text\",\"text\":{\"content\":\"hi\"}}",
                "X-Tokencast-Key",
                KEY.asString(),
                "User-Agent",
                "gateway-contract-test");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("errcode").asInt()).isZero();
        SandboxCall call = lastCall();
        assertThat(call.endpoint()).isEqualTo(WeChatEndpoint.CUSTOM_SEND);
        assertThat(call.presentedFingerprint()).isEqualTo(servedFingerprint());
        assertThat(call.caller()).isEqualTo("gateway-contract-test");
        assertThat(call.headerNames()).doesNotContain("x-tokencast-key");
    }

    @Test
    void aHandleFromTheTokenEndpointWorksAndNeverReachesTheUpstream() {
        JsonNode issued = client.get("/cgi-bin/token?grant_type=client_credential&appid=" + APP + "&secret=any")
                .json();
        String handle = issued.get("access_token").asString();
        assertThat(handle)
                .startsWith("tch1.")
                .isNotEqualTo(sidecar.view().token(KEY).value());
        assertThat(issued.get("expires_in").asLong()).isPositive();

        SidecarClient.Reply reply = client.get("/cgi-bin/user/info?openid=o-42&lang=en&access_token=" + handle);

        assertThat(reply.json().get("nickname").asString()).isEqualTo("user-o-42");
        SandboxCall call = lastCall();
        assertThat(call.presentedFingerprint()).isEqualTo(servedFingerprint());
        assertThat(call.rawQuery())
                .doesNotContain("tch1.")
                .contains("openid=o-42")
                .contains("lang=en");
    }

    @Test
    void aRealTokenOfAnEarlierVersionIsReplacedByTheCurrentOne() throws Exception {
        String earlier = sidecar.view().token(KEY).value();
        current = publishFresh();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> sidecar.view().token(KEY).value().equals(current));

        SidecarClient.Reply reply = client.get("/cgi-bin/menu/get?access_token=" + enc(earlier));

        assertThat(reply.json().has("errcode") ? reply.json().get("errcode").asInt() : 0)
                .isIn(0, 46003);
        assertThat(lastCall().presentedFingerprint()).isEqualTo(fingerprint(current));
    }

    @Test
    void missingForgedUnknownAndExpiredCredentialsAreAnsweredLocally() {
        int before = callsNow();

        assertThat(client.get("/cgi-bin/menu/get").json().get("errcode").asInt())
                .isEqualTo(41001);
        assertThat(client.get("/cgi-bin/menu/get?access_token=tch1.Zm9v.YmFy")
                        .json()
                        .get("errcode")
                        .asInt())
                .isEqualTo(40014);
        assertThat(client.get("/cgi-bin/menu/get?access_token=not-a-token-of-ours")
                        .json()
                        .get("errcode")
                        .asInt())
                .isEqualTo(40014);
        SidecarClient.Reply ticketKey =
                client.get("/cgi-bin/menu/get", "X-Tokencast-Key", "wechat-jsapi-ticket/" + APP);
        assertThat(ticketKey.json().get("errcode").asInt()).isEqualTo(40014);

        assertThat(callsNow()).as("nothing reached the upstream").isEqualTo(before);
    }

    @Test
    void anExpiredHandleGets42001AndAFreshOneWorks() {
        String handle = client.get("/cgi-bin/token?grant_type=client_credential&appid=" + APP + "&secret=any")
                .json()
                .get("access_token")
                .asString();
        Instant was = clock.instant();
        try {
            clock.set(was.plus(Duration.ofMinutes(20)));
            int before = callsNow();
            assertThat(client.get("/cgi-bin/menu/get?access_token=" + handle)
                            .json()
                            .get("errcode")
                            .asInt())
                    .isEqualTo(42001);
            assertThat(callsNow()).isEqualTo(before);
        } finally {
            clock.set(was);
        }
    }

    @Test
    void aHandleSurvivesASidecarRestartWithTheSameKeyFile() throws Exception {
        Path keyFile = dir.resolve("restart.key");
        String handle;
        try (Sidecar first = startSidecar(config(keyFile))) {
            await().atMost(Duration.ofSeconds(30)).until(first::isReady);
            handle = new SidecarClient(first.url())
                    .get("/cgi-bin/token?grant_type=client_credential&appid=" + APP + "&secret=any")
                    .json()
                    .get("access_token")
                    .asString();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
                .isEqualTo("rw-------");
        try (Sidecar second = startSidecar(config(keyFile))) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> second.isReady() && second.view().find(KEY).isPresent());
            SidecarClient.Reply reply =
                    new SidecarClient(second.url()).get("/cgi-bin/user/info?openid=o-restart&access_token=" + handle);
            assertThat(reply.json().get("openid").asString()).isEqualTo("o-restart");
        }
        try (Sidecar other = startSidecar(config(dir.resolve("another.key")))) {
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
    void credentialPathsUnmappedPathsAbsoluteUrisAndConnectAreRefused() throws Exception {
        int before = callsNow();
        for (String path : List.of(
                "/cgi-bin/component/api_query_auth?component_access_token=x",
                "/cgi-bin/component/api_get_authorizer_list?component_access_token=x")) {
            SidecarClient.Reply reply = client.post(path, "{}", "X-Tokencast-Key", KEY.asString());
            assertThat(reply.json().get("errcode").asInt()).as(path).isEqualTo(48001);
        }
        assertThat(client.get("/not-wechat/at-all", "X-Tokencast-Key", KEY.asString())
                        .json()
                        .get("errcode")
                        .asInt())
                .isEqualTo(48001);

        String absolute = raw("GET http://api.weixin.qq.com/cgi-bin/menu/get HTTP/1.1\r\n"
                + "Host: api.weixin.qq.com\r\nX-Tokencast-Key: " + KEY.asString() + "\r\nConnection: close\r\n\r\n");
        assertThat(absolute).startsWith("HTTP/1.1 400").contains("48001");
        String connect = raw("CONNECT api.weixin.qq.com:443 HTTP/1.1\r\nHost: api.weixin.qq.com:443\r\n"
                + "Connection: close\r\n\r\n");
        assertThat(connect).startsWith("HTTP/1.1 405");

        assertThat(callsNow()).as("nothing reached the upstream").isEqualTo(before);
    }

    @Test
    void hopByHopHeadersAreStrippedAndOthersPass() throws Exception {
        String answer = raw("GET /cgi-bin/menu/get HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Tokencast-Key: "
                + KEY.asString() + "\r\nConnection: close, X-Drop-Me\r\nX-Drop-Me: 1\r\nKeep-Alive: timeout=5\r\n"
                + "Proxy-Authorization: Basic Zm9vOmJhcg==\r\nX-Request-Id: r-1\r\nTE: trailers\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 200");
        assertThat(answer.lines().filter(line -> line.regionMatches(true, 0, "Date:", 0, 5)))
                .as("the upstream's Date, once: the sidecar adds none of its own")
                .hasSize(1);
        SandboxCall call = lastCall();
        assertThat(call.headerNames())
                .contains("x-request-id")
                .doesNotContain("x-drop-me", "keep-alive", "proxy-authorization", "te", "x-tokencast-key");
    }

    @Test
    void aQueryNoUpstreamUriCanCarryIsRefusedWithoutQuotingIt() throws Exception {
        int before = callsNow();
        for (String query : List.of("openid=a|b", "openid=a%zz", "openid=a b")) {
            String answer = raw("GET /cgi-bin/user/info?" + query + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Tokencast-Key: "
                    + KEY.asString() + "\r\nConnection: close\r\n\r\n");
            assertThat(answer).as(query).doesNotStartWith("HTTP/1.1 5").containsAnyOf("40097", "HTTP/1.1 400");
        }
        assertThat(callsNow()).isEqualTo(before);
    }

    @Test
    void tenMegabytesUpAndDownStreamByteForByte() throws Exception {
        byte[] file = new byte[10 * 1024 * 1024];
        new java.util.Random(22).nextBytes(file);
        String boundary = "----tokencast" + System.nanoTime();
        byte[] body = multipart(boundary, "photo.jpg", file);
        HttpClient http = HttpClient.newHttpClient();

        HttpResponse<String> uploaded = http.send(
                HttpRequest.newBuilder(URI.create(sidecar.url() + "/cgi-bin/media/upload?type=image"))
                        .header("X-Tokencast-Key", KEY.asString())
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        String mediaId =
                SidecarClient.JSON.readTree(uploaded.body()).get("media_id").asString();
        HttpResponse<byte[]> downloaded = http.send(
                HttpRequest.newBuilder(URI.create(sidecar.url() + "/cgi-bin/media/get?media_id=" + mediaId))
                        .header("X-Tokencast-Key", KEY.asString())
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(downloaded.statusCode()).isEqualTo(200);
        assertThat(downloaded.headers().firstValue("Content-disposition"))
                .hasValue("attachment; filename=\"photo.jpg\"");
        assertThat(MessageDigest.getInstance("SHA-256").digest(downloaded.body()))
                .isEqualTo(MessageDigest.getInstance("SHA-256").digest(file));
    }

    @Test
    void aBodyOverTheMediaCapIsRefusedLocally() throws Exception {
        int before = callsNow();
        HttpResponse<String> refused = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(sidecar.url() + "/cgi-bin/media/upload?type=image"))
                                .header("X-Tokencast-Key", KEY.asString())
                                .header("Content-Type", "multipart/form-data; boundary=x")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[13 * 1024 * 1024]))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(refused.statusCode()).isEqualTo(413);
        assertThat(SidecarClient.JSON.readTree(refused.body()).get("errcode").asInt())
                .isEqualTo(40006);

        // Chunked, so only counted while it streams: refused once past the cap, mid-body.
        HttpResponse<String> chunked = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(sidecar.url() + "/cgi-bin/media/upload?type=image"))
                                .header("X-Tokencast-Key", KEY.asString())
                                .header("Content-Type", "multipart/form-data; boundary=x")
                                .POST(HttpRequest.BodyPublishers.ofInputStream(
                                        () -> new java.io.ByteArrayInputStream(new byte[13 * 1024 * 1024])))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(SidecarClient.JSON.readTree(chunked.body()).get("errcode").asInt())
                .isEqualTo(40006);
        assertThat(callsNow()).isEqualTo(before);
    }

    @Test
    void anUpstreamTimeoutIsWeChatsMinusOneWithTheCause() {
        sandbox.setLatency(Duration.ofMillis(4500));
        try {
            SidecarClient.Reply reply = client.get("/cgi-bin/menu/get", "X-Tokencast-Key", KEY.asString());
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.json().get("errcode").asInt()).isEqualTo(-1);
            assertThat(reply.json().get("errmsg").asString()).contains("did not answer within the read timeout");
        } finally {
            sandbox.setLatency(Duration.ZERO);
        }
    }

    @Test
    void aRotationBehindTheBackIsAbsorbedWithOneReport() throws Exception {
        String dead = sidecar.view().token(KEY).value();
        // A third party fetches at WeChat: the fleet's token dies after the (1 s) overlap.
        String thirdParty = fetchBehindTheBack();
        await().atMost(Duration.ofSeconds(10)).until(() -> sandbox.checkToken(dead) == 40001);
        int reportsBefore = topics.reportsSoFar().size();

        List<CompletableFuture<SidecarClient.Reply>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            calls.add(client.postAsync(
                    "/cgi-bin/message/custom/send",
                    "{\"touser\":\"o-" + i + "\",\"msgtype\":\"text\",\"text\":{\"content\":\"x\"}}",
                    "X-Tokencast-Key",
                    KEY.asString()));
        }
        // The refresher's part: the report arrives, a new token is published.
        await().atMost(Duration.ofSeconds(10)).until(() -> topics.reportsSoFar().size() > reportsBefore);
        current = publishFresh();

        for (CompletableFuture<SidecarClient.Reply> call : calls) {
            assertThat(call.get().json().get("errcode").asInt()).isZero();
        }
        List<RefreshRequested> reports = topics.reportsSoFar();
        assertThat(reports.subList(reportsBefore, reports.size()))
                .as("one report for the dead fingerprint, however many callers saw it refused")
                .hasSize(1)
                .allMatch(r -> fingerprint(dead).equals(r.ifFingerprint()));
        assertThat(thirdParty).isNotEqualTo(current);
    }

    @Test
    void aWeComAgentBehindItsPathPrefixCallsQyapiWithItsHandle() {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> sidecar.view().find(AGENT_KEY).isPresent());
        String base = "/wecom/" + AGENT;
        String handle = client.get(base + "/cgi-bin/gettoken?corpid=" + CORP + "&corpsecret=ignored")
                .json()
                .get("access_token")
                .asString();
        assertThat(handle).startsWith("tch1.");

        SidecarClient.Reply reply = client.get(base + "/cgi-bin/getcallbackip?access_token=" + handle);

        assertThat(reply.json().get("errcode").asInt()).isZero();
        assertThat(reply.json().get("ip_list")).isNotEmpty();
        assertThat(lastCall().presentedFingerprint())
                .isEqualTo(sidecar.view().token(AGENT_KEY).fingerprint());
    }

    @Test
    void ticketsStayRealAndAHandleNamesTheirApp() {
        await().atMost(Duration.ofSeconds(10)).until(() -> sidecar.view()
                .find(TokenKey.parse("wechat-jsapi-ticket/" + APP))
                .isPresent());
        String handle = client.get("/cgi-bin/token?grant_type=client_credential&appid=" + APP + "&secret=any")
                .json()
                .get("access_token")
                .asString();

        JsonNode ticket = client.get("/cgi-bin/ticket/getticket?type=jsapi&access_token=" + handle)
                .json();

        assertThat(ticket.get("errcode").asInt()).isZero();
        assertThat(ticket.get("ticket").asString()).isEqualTo("ticket-jsapi-gateway-1");
    }

    @Test
    void metricsArePerPathTemplateAndHoldNoCredential() {
        String handle = client.get("/cgi-bin/token?grant_type=client_credential&appid=" + APP + "&secret=any")
                .json()
                .get("access_token")
                .asString();
        client.get("/cgi-bin/user/info?openid=o-metrics&access_token=" + handle);
        client.get("/cgi-bin/menu/get");

        String metrics = client.get("/metrics").body();

        assertThat(metrics)
                .contains(
                        "tokencast_sidecar_gateway_calls_seconds_count{outcome=\"forwarded\",path=\"/cgi-bin/user/info\"}")
                .contains(
                        "tokencast_sidecar_gateway_refusals_total{path=\"/cgi-bin/menu/get\",reason=\"credential-41001\"}")
                .contains("tokencast_sidecar_gateway_upstream_seconds")
                .doesNotContain(handle)
                .doesNotContain(sidecar.view().token(KEY).value())
                .doesNotContain("o-metrics");
    }

    @Test
    void theComponentsTokenReplacesAComponentAccessTokenHandle() throws Exception {
        String component = "wxgwcomponent0001";
        sandbox.registerComponent(
                component, "component-secret", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "cb-token", null);
        sandbox.pushTicketNow(component);
        String ticket = sandbox.currentVerifyTicket(component).orElseThrow();
        String real = SidecarClient.JSON
                .readTree(HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(sandbox.url() + "/cgi-bin/component/api_component_token"))
                                        .POST(HttpRequest.BodyPublishers.ofString("{\"component_appid\":\"" + component
                                                + "\",\"component_appsecret\":\"component-secret\","
                                                + "\"component_verify_ticket\":\"" + ticket + "\"}"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body())
                .get("component_access_token")
                .asString();
        TokenKey key = TokenKey.parse("wechat-component-access-token/" + component);
        Instant now = clock.instant();
        topics.publish(key, 1, real, now, now.plus(Duration.ofHours(2)), now.plus(Duration.ofMinutes(10)));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> sidecar.view().find(key).isPresent());
        String handle = client.post(
                        "/cgi-bin/component/api_component_token",
                        "{\"component_appid\":\"" + component + "\",\"component_appsecret\":\"any\","
                                + "\"component_verify_ticket\":\"any\"}")
                .json()
                .get("component_access_token")
                .asString();
        assertThat(handle).startsWith("tch1.");

        SidecarClient.Reply reply = client.post(
                "/cgi-bin/component/api_get_authorizer_option?component_access_token=" + handle,
                "{\"component_appid\":\"" + component + "\",\"authorizer_appid\":\"wxauth\","
                        + "\"option_name\":\"voice_recognize\"}");

        assertThat(reply.json().get("option_value").asString()).isEqualTo("1");
        assertThat(lastCall().presentedFingerprint()).isEqualTo(fingerprint(real));
        assertThat(lastCall().rawQuery()).doesNotContain("tch1.");
    }

    @Test
    void userOAuthPathsPassThroughUntouched() {
        // Not ours: a user's OAuth exchange and a user's OAuth token go to WeChat as they are.
        SidecarClient.Reply exchange =
                client.get("/sns/oauth2/access_token?appid=" + APP + "&secret=s&code=c&grant_type=authorization_code");
        assertThat(exchange.status()).isEqualTo(404);
        assertThat(exchange.body()).contains("the WeChat sandbox does not implement /sns/oauth2/access_token");
        SidecarClient.Reply userinfo = client.get("/sns/userinfo?access_token=users-own-oauth-token&openid=o");
        assertThat(userinfo.body()).contains("the WeChat sandbox does not implement /sns/userinfo");
    }

    @Test
    void clientCredentialsLimitEachClientToItsKeys() throws Exception {
        SidecarConfig base = config(dir.resolve("clients.key"));
        List<GatewayConfig.Client> clients = List.of(
                new GatewayConfig.Client(
                        "shop",
                        PresentedCredentials.sha256Hex("shop-client-secret"),
                        List.of("wechat-access-token/wxgateway*")),
                new GatewayConfig.Client(
                        "crm",
                        PresentedCredentials.sha256Hex("crm-client-secret"),
                        List.of("wechat-access-token/wxcrm*")));
        try (Sidecar guarded = startSidecar(base.withGateway(base.gateway().withClients(clients)))) {
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

    static String fetchBehindTheBack() throws Exception {
        return SidecarClient.JSON
                .readTree(HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(sandbox.url()
                                                + "/cgi-bin/token?grant_type=client_credential&appid=" + APP
                                                + "&secret=" + SECRET))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body())
                .get("access_token")
                .asString();
    }

    static byte[] multipart(String boundary, String filename, byte[] file) {
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"media\"; filename=\"" + filename
                        + "\"\r\nContent-Type: image/jpeg\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[head.length + file.length + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(file, 0, out, head.length, file.length);
        System.arraycopy(tail, 0, out, head.length + file.length, tail.length);
        return out;
    }

    static String raw(String request) throws IOException {
        URI url = sidecar.url();
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            // Up to the end of the answer's headers and its Content-Length of body: a CONNECT answer need not close.
            InputStream in = socket.getInputStream();
            java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                got.write(b);
                String text = got.toString(StandardCharsets.ISO_8859_1);
                int end = text.indexOf("\r\n\r\n");
                if (end >= 0) {
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)")
                            .matcher(text.substring(0, end));
                    int length = m.find() ? Integer.parseInt(m.group(1)) : 0;
                    got.write(in.readNBytes(length));
                    break;
                }
            }
            return got.toString(StandardCharsets.UTF_8);
        }
    }

    static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
