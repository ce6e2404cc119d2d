package io.tokencast.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tokencast.schema.RefreshRequested;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.testkit.MutableClock;
import io.tokencast.testkit.signing.TestRefresherKey;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The contract of {@code /v1/tokens/…} over real HTTP, with tokens published on a real Kafka topic. */
class TokensApiIT {

    static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    static final MutableClock clock = new MutableClock(T0);
    static Topics topics;
    static Sidecar sidecar;
    static SidecarClient client;

    @BeforeAll
    static void start() {
        topics = Topics.create("sidecar-v1");
        sidecar = Sidecar.start(
                SidecarConfig.defaults(Topics.bootstrapServers())
                        .withRefresherKeys(TestRefresherKey.shared().publicJwkSetFile())
                        .withTopics(topics.tokens, topics.reports)
                        .withWaits(Duration.ofSeconds(2), Duration.ofSeconds(20), 100),
                clock);
        client = new SidecarClient(sidecar.url());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> client.get("/health/ready").status() == 200);
    }

    @AfterAll
    static void stop() {
        sidecar.close();
        topics.close();
    }

    static TokenRefreshed publish(String key, long version, String token, Duration life, Duration refreshAfter) {
        Instant issued = clock.instant();
        TokenRefreshed event = topics.publish(
                TokenKey.parse(key), version, token, issued, issued.plus(life), issued.plus(refreshAfter));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> sidecar.view().state(TokenKey.parse(key)) != io.tokencast.consumer.TokenState.ABSENT
                        && sidecar.view()
                                .find(TokenKey.parse(key))
                                .map(t -> t.version() >= version)
                                .orElse(false));
        return event;
    }

    @Test
    void servesTheTokenWithItsVersionFingerprintTimesAndState() {
        TokenRefreshed event = publish(
                "wechat-access-token/wxv1get000000001", 3, "tok-get-3", Duration.ofHours(2), Duration.ofMinutes(90));

        SidecarClient.Reply reply = client.get("/v1/tokens/wechat-access-token/wxv1get000000001");

        assertThat(reply.status()).isEqualTo(200);
        JsonNode body = reply.json();
        assertThat(body.get("token").asString()).isEqualTo("tok-get-3");
        assertThat(body.get("version").asLong()).isEqualTo(3);
        assertThat(body.get("fingerprint").asString()).isEqualTo(event.fingerprint());
        assertThat(Instant.parse(body.get("expiresAt").asString())).isEqualTo(event.expiresAt());
        assertThat(Instant.parse(body.get("nextRefreshAt").asString())).isEqualTo(event.nextRefreshAt());
        assertThat(body.get("state").asString()).isEqualTo("FRESH");
        // min(expiresAt = +120 min, nextRefreshAt + 5 min = +95 min) - 60 s
        assertThat(body.get("expiresIn").asLong()).isEqualTo(95 * 60 - 60);
        assertThat(reply.header("Cache-Control")).isEqualTo("no-store");
        assertThat(reply.header("ETag")).isEqualTo("\"v3-fresh\"");
    }

    @Test
    void answersNotModifiedWhileTheVersionAndStateAreUnchanged() {
        publish("wechat-access-token/wxv1etag00000001", 1, "tok-etag-1", Duration.ofHours(2), Duration.ofMinutes(90));
        String path = "/v1/tokens/wechat-access-token/wxv1etag00000001";
        String etag = client.get(path).header("ETag");

        assertThat(client.get(path, "If-None-Match", etag).status()).isEqualTo(304);

        publish("wechat-access-token/wxv1etag00000001", 2, "tok-etag-2", Duration.ofHours(2), Duration.ofMinutes(90));
        SidecarClient.Reply changed = client.get(path, "If-None-Match", etag);
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.json().get("token").asString()).isEqualTo("tok-etag-2");
    }

    @Test
    void refusesUnknownAndMalformedKeys() {
        SidecarClient.Reply unknown = client.get("/v1/tokens/wechat-access-token/wxnobody000000001");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("error").asString()).isEqualTo("unknown-key");

        SidecarClient.Reply badKind = client.get("/v1/tokens/no-such-kind/wx1");
        assertThat(badKind.status()).isEqualTo(400);
        assertThat(badKind.json().get("reason").asString()).contains("unknown token kind");

        assertThat(client.post("/v1/tokens/wechat-access-token/wx1", "{}").status())
                .isEqualTo(405);
    }

    @Test
    void answers503WithTheReasonOnceTheTokenExpired() {
        publish("wechat-access-token/wxv1expired00001", 1, "tok-exp-1", Duration.ofSeconds(30), Duration.ofSeconds(20));
        clock.advance(Duration.ofSeconds(31));
        try {
            SidecarClient.Reply reply = client.get("/v1/tokens/wechat-access-token/wxv1expired00001");

            assertThat(reply.status()).isEqualTo(503);
            assertThat(reply.json().get("error").asString()).isEqualTo("expired");
            assertThat(reply.json().get("reason").asString()).contains("expired at");
            assertThat(reply.body()).doesNotContain("tok-exp-1");
        } finally {
            clock.set(clock.instant().minusSeconds(31));
        }
    }

    @Test
    void longPollAnswersWhenTheAskedVersionArrives() {
        publish("wechat-access-token/wxv1poll00000001", 1, "tok-poll-1", Duration.ofHours(2), Duration.ofMinutes(90));

        CompletableFuture<SidecarClient.Reply> polling =
                client.getAsync("/v1/tokens/wechat-access-token/wxv1poll00000001?waitForVersion=2&timeoutMs=15000");
        await().atMost(Duration.ofSeconds(5)).until(() -> sidecarWaiting() == 1);
        assertThat(polling).isNotDone();
        publish("wechat-access-token/wxv1poll00000001", 2, "tok-poll-2", Duration.ofHours(2), Duration.ofMinutes(90));

        SidecarClient.Reply reply = polling.join();
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("version").asLong()).isEqualTo(2);
        assertThat(reply.json().get("token").asString()).isEqualTo("tok-poll-2");
    }

    @Test
    void longPollAnswersTheCurrentVersionWhenItTimesOut() {
        publish("wechat-access-token/wxv1polltimeout1", 1, "tok-pt-1", Duration.ofHours(2), Duration.ofMinutes(90));

        SidecarClient.Reply reply =
                client.get("/v1/tokens/wechat-access-token/wxv1polltimeout1?waitForVersion=5&timeoutMs=300");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("version").asLong()).isEqualTo(1);
        assertThat(client.get("/v1/tokens/wechat-access-token/wxv1polltimeout1?waitForVersion=5&timeoutMs=999999")
                        .status())
                .as("a wait longer than max-wait is refused, not silently shortened")
                .isEqualTo(400);
    }

    @Test
    void invalidReportsTheFingerprintAndAnswersTheNextToken() {
        TokenRefreshed dead = publish(
                "wechat-access-token/wxv1invalid00001", 1, "tok-inv-1", Duration.ofHours(2), Duration.ofMinutes(90));

        CompletableFuture<SidecarClient.Reply> reporting = client.postAsync(
                "/v1/tokens/wechat-access-token/wxv1invalid00001/invalid",
                "{\"fingerprint\":\"" + dead.fingerprint() + "\",\"errcode\":40001,\"timeoutMs\":15000}");
        await().atMost(Duration.ofSeconds(10)).until(() -> topics.reportsSoFar().stream()
                .anyMatch(r -> r.tokenKey().asString().equals("wechat-access-token/wxv1invalid00001")));
        RefreshRequested report = topics.reportsSoFar().stream()
                .filter(r -> r.tokenKey().asString().equals("wechat-access-token/wxv1invalid00001"))
                .findFirst()
                .orElseThrow();
        assertThat(report.ifFingerprint()).isEqualTo(dead.fingerprint());
        publish("wechat-access-token/wxv1invalid00001", 2, "tok-inv-2", Duration.ofHours(2), Duration.ofMinutes(90));

        SidecarClient.Reply reply = reporting.join();
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("token").asString()).isEqualTo("tok-inv-2");
        assertThat(reply.json().get("fingerprint").asString()).isNotEqualTo(dead.fingerprint());
    }

    @Test
    void invalidOfAnOlderFingerprintAnswersTheCurrentTokenWithoutReporting() {
        TokenRefreshed old = publish(
                "wechat-access-token/wxv1invalidold01", 1, "tok-old-1", Duration.ofHours(2), Duration.ofMinutes(90));
        publish("wechat-access-token/wxv1invalidold01", 2, "tok-old-2", Duration.ofHours(2), Duration.ofMinutes(90));

        SidecarClient.Reply reply = client.post(
                "/v1/tokens/wechat-access-token/wxv1invalidold01/invalid",
                "{\"fingerprint\":\"" + old.fingerprint() + "\"}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("token").asString()).isEqualTo("tok-old-2");
        assertThat(reply.header("X-Tokencast-Report")).isEqualTo("superseded");
        assertThat(topics.reportsSoFar())
                .noneMatch(r -> r.tokenKey().asString().equals("wechat-access-token/wxv1invalidold01"));
    }

    @Test
    void invalidAnswers503WhenNoNewTokenArrivesInTime() {
        TokenRefreshed dead = publish(
                "wechat-access-token/wxv1invalidwait1", 1, "tok-iw-1", Duration.ofHours(2), Duration.ofMinutes(90));

        SidecarClient.Reply reply = client.post(
                "/v1/tokens/wechat-access-token/wxv1invalidwait1/invalid",
                "{\"fingerprint\":\"" + dead.fingerprint() + "\",\"timeoutMs\":300}");

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.json().get("error").asString()).isEqualTo("no-new-token");
        assertThat(client.post("/v1/tokens/wechat-access-token/wxv1invalidwait1/invalid", "{\"fingerprint\":\"x\"}")
                        .status())
                .isEqualTo(400);
        assertThat(client.post("/v1/tokens/wechat-access-token/wxv1invalidwait1/invalid", "not json")
                        .status())
                .isEqualTo(400);
    }

    private static double sidecarWaiting() {
        String metrics = client.get("/metrics").body();
        return metrics.lines()
                .filter(l -> l.startsWith("tokencast_sidecar_waiting "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1)))
                .findFirst()
                .orElse(-1);
    }
}
