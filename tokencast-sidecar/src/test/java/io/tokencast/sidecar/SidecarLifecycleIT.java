package io.tokencast.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tokencast.schema.TokenKey;
import io.tokencast.testkit.LocalInfrastructure;
import io.tokencast.testkit.signing.TestRefresherKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Readiness, the shared token, metrics, limits, graceful shutdown and what never reaches the log. */
class SidecarLifecycleIT {

    static final String SHARED = "local-shared-token-0123456789";

    @Test
    void isLiveButNotReadyAndServesNothingUntilTheViewHasReadTheTopic() {
        SidecarConfig config = SidecarConfig.defaults(Topics.bootstrapServers())
                .withRefresherKeys(TestRefresherKey.shared().publicJwkSetFile())
                .withTopics(LocalInfrastructure.uniqueName("sidecar-missing-topic"), "unused-reports");
        try (Sidecar sidecar = Sidecar.start(config)) {
            SidecarClient client = new SidecarClient(sidecar.url());

            assertThat(client.get("/health/live").status()).isEqualTo(200);
            assertThat(client.get("/health/ready").status()).isEqualTo(503);
            SidecarClient.Reply own = client.get("/v1/tokens/wechat-access-token/wxnotready0000001");
            assertThat(own.status()).isEqualTo(503);
            assertThat(own.json().get("error").asString()).isEqualTo("not-ready");
            assertThat(own.header("Retry-After")).isEqualTo("1");
            SidecarClient.Reply wechat =
                    client.get("/cgi-bin/token?grant_type=client_credential&appid=wxnotready0000001");
            assertThat(wechat.json().get("errcode").asInt()).isEqualTo(-1);
            assertThat(client.get("/metrics").body()).contains("tokencast_sidecar_ready 0.0");
        }
    }

    @Test
    void theSharedTokenGuardsEveryTokenEndpointAndSdksShowItAsTheirSecret() {
        try (Topics topics = Topics.create("sidecar-shared");
                Sidecar sidecar = started(
                        topics,
                        SidecarConfig.defaults(Topics.bootstrapServers())
                                .withRefresherKeys(TestRefresherKey.shared().publicJwkSetFile())
                                .withTopics(topics.tokens, topics.reports)
                                .withSharedToken(SHARED))) {
            publish(topics, sidecar, "wechat-access-token/wxshared00000001", "tok-shared-1");
            SidecarClient client = new SidecarClient(sidecar.url());
            String path = "/v1/tokens/wechat-access-token/wxshared00000001";

            assertThat(client.get(path).status()).isEqualTo(401);
            assertThat(client.get(path, "Authorization", "Bearer wrong-token-0000000000")
                            .status())
                    .isEqualTo(401);
            assertThat(client.get(path, "Authorization", "Bearer " + SHARED).status())
                    .isEqualTo(200);
            assertThat(client.get(path, "X-Tokencast-Token", SHARED).status()).isEqualTo(200);

            String token = "/cgi-bin/token?grant_type=client_credential&appid=wxshared00000001&secret=";
            assertThat(client.get(token + "the-real-appsecret")
                            .json()
                            .get("errcode")
                            .asInt())
                    .isEqualTo(40125);
            assertThat(client.get(token + SHARED).json().get("access_token").asString())
                    .isEqualTo("tok-shared-1");
            SidecarClient.Reply ready = client.get("/health/ready");
            assertThat(ready.status()).as("probes need no token").isEqualTo(200);
            assertThat(ready.json()
                            .get("signatures")
                            .get("signatureVerification")
                            .asString())
                    .isEqualTo("ON");
            assertThat(ready.json().get("signatures").get("cryptoProvider").asString())
                    .contains("BouncyCastle");
        }
    }

    @Test
    void shutdownAnswersWaitingRequestsAndTurnsReadinessDown() {
        try (Topics topics = Topics.create("sidecar-shutdown")) {
            Sidecar sidecar = started(
                    topics,
                    SidecarConfig.defaults(Topics.bootstrapServers())
                            .withRefresherKeys(TestRefresherKey.shared().publicJwkSetFile())
                            .withTopics(topics.tokens, topics.reports));
            publish(topics, sidecar, "wechat-access-token/wxshutdown0000001", "tok-shutdown-1");
            SidecarClient client = new SidecarClient(sidecar.url());
            CompletableFuture<SidecarClient.Reply> polling = client.getAsync(
                    "/v1/tokens/wechat-access-token/wxshutdown0000001?waitForVersion=9&timeoutMs=20000");
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> client.get("/metrics").body().contains("tokencast_sidecar_waiting 1.0"));

            sidecar.close();

            SidecarClient.Reply reply = polling.join();
            assertThat(reply.status()).isEqualTo(503);
            assertThat(reply.json().get("error").asString()).isEqualTo("shutting-down");
            assertThat(sidecar.isReady()).isFalse();
        }
    }

    @Test
    void refusesBodiesOverTheCapAndCountsRequestsInMetrics() {
        try (Topics topics = Topics.create("sidecar-limits");
                Sidecar sidecar = started(
                        topics,
                        SidecarConfig.defaults(Topics.bootstrapServers())
                                .withRefresherKeys(TestRefresherKey.shared().publicJwkSetFile())
                                .withTopics(topics.tokens, topics.reports))) {
            SidecarClient client = new SidecarClient(sidecar.url());

            SidecarClient.Reply big = client.post("/cgi-bin/stable_token", "{\"pad\":\"" + "x".repeat(70_000) + "\"}");
            assertThat(big.status()).isEqualTo(413);
            assertThat(big.json().get("errcode").asInt()).isEqualTo(47001);

            client.get("/v1/tokens/wechat-access-token/wxmetrics00000001");
            // JVM gauges are bound in the background after start, off the path to readiness.
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> client.get("/metrics").body().contains("jvm_memory_used_bytes"));
            String metrics = client.get("/metrics").body();
            assertThat(metrics)
                    .contains("tokencast_sidecar_requests_seconds_count{endpoint=\"token_get\",status=\"404\"} 1")
                    .contains(
                            "tokencast_sidecar_requests_seconds_count{endpoint=\"wechat_stable_token\",status=\"413\"} 1")
                    .contains("tokencast_sidecar_tokens 0.0")
                    .contains("jvm_memory_used_bytes");
        }
    }

    @Test
    void malformedRequestsGetClearRefusalsNotServerErrors() throws Exception {
        try (Topics topics = Topics.create("sidecar-edge");
                Sidecar sidecar = started(
                        topics,
                        SidecarConfig.defaults(Topics.bootstrapServers())
                                .withRefresherKeys(TestRefresherKey.shared().publicJwkSetFile())
                                .withTopics(topics.tokens, topics.reports)
                                .withWaits(Duration.ofSeconds(1), Duration.ofSeconds(5), 1))) {
            publish(topics, sidecar, "wechat-access-token/wxedge000000000001", "tok-edge-1");
            SidecarClient client = new SidecarClient(sidecar.url());

            assertThat(raw(sidecar, "GET /cgi-bin/token?appid=%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                    .as("WeChat's shape: HTTP 200 with an errcode")
                    .startsWith("HTTP/1.1 200")
                    .contains("\"errcode\":40097");
            assertThat(raw(
                            sidecar,
                            "GET /v1/tokens/wechat-access-token/wx%zz HTTP/1.1\r\nHost: x\r\n"
                                    + "Connection: close\r\n\r\n"))
                    .startsWith("HTTP/1.1 400");
            String chunked = "POST /cgi-bin/stable_token HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                    + "Content-Type: application/json\r\nConnection: close\r\n\r\n" + "11170\r\n" + "x".repeat(70_000)
                    + "\r\n0\r\n\r\n";
            assertThat(raw(sidecar, chunked)).startsWith("HTTP/1.1 413");

            CompletableFuture<SidecarClient.Reply> waiting = client.getAsync(
                    "/v1/tokens/wechat-access-token/wxedge000000000001?waitForVersion=2&timeoutMs=4000");
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> client.get("/metrics").body().contains("tokencast_sidecar_waiting 1.0"));
            SidecarClient.Reply refused =
                    client.get("/v1/tokens/wechat-access-token/wxedge000000000001?waitForVersion=2&timeoutMs=4000");
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.json().get("error").asString()).isEqualTo("too-many-waiters");
            assertThat(waiting.join().json().get("version").asLong()).isEqualTo(1);
        }
    }

    private static String raw(Sidecar sidecar, String request) throws Exception {
        try (java.net.Socket socket =
                new java.net.Socket("127.0.0.1", sidecar.url().getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void noTokenAndNoSecretAnSdkSendsEverReachesTheLog() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        root.addAppender(appender);
        try (Topics topics = Topics.create("sidecar-logs");
                Sidecar sidecar = started(
                        topics,
                        SidecarConfig.defaults(Topics.bootstrapServers())
                                .withRefresherKeys(TestRefresherKey.shared().publicJwkSetFile())
                                .withTopics(topics.tokens, topics.reports)
                                .withWaits(Duration.ofMillis(300), Duration.ofSeconds(5), 10))) {
            publish(topics, sidecar, "wechat-access-token/wxlogs000000000001", "tok-logged-never-1");
            SidecarClient client = new SidecarClient(sidecar.url());

            client.get("/cgi-bin/token?grant_type=client_credential&appid=wxlogs000000000001&secret=SECRET-never-1");
            client.post(
                    "/cgi-bin/stable_token",
                    "{\"grant_type\":\"client_credential\","
                            + "\"appid\":\"wxlogs000000000001\",\"secret\":\"SECRET-never-2\",\"force_refresh\":true}");
            client.get("/cgi-bin/gettoken?corpid=ww1&corpsecret=SECRET-never-3");
            client.get("/cgi-bin/ticket/getticket?type=jsapi&access_token=tok-logged-never-1");
            client.post("/v1/tokens/wechat-access-token/wxlogs000000000001/invalid", "{broken SECRET-never-4");
        } finally {
            root.detachAppender(appender);
        }
        assertThat(appender.list).isNotEmpty();
        assertThat(appender.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .noneMatch(line -> line.contains("SECRET-never") || line.contains("tok-logged-never"));
    }

    private static Sidecar started(Topics topics, SidecarConfig config) {
        Sidecar sidecar = Sidecar.start(config, Clock.systemUTC());
        await().atMost(Duration.ofSeconds(30)).until(sidecar::isReady);
        return sidecar;
    }

    private static void publish(Topics topics, Sidecar sidecar, String key, String token) {
        Instant now = Instant.now();
        topics.publish(
                TokenKey.parse(key), 1, token, now, now.plus(Duration.ofHours(2)), now.plus(Duration.ofMinutes(90)));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> sidecar.view().find(TokenKey.parse(key)).isPresent());
    }
}
