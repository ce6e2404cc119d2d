package io.tokencast.sidecar;

import static io.tokencast.sidecar.GatewayRig.APP;
import static io.tokencast.sidecar.GatewayRig.KEY;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokencast.testkit.wechat.SandboxCall;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gateway mode over real HTTP (issue 22, 6c), the forwarding: which paths and requests are refused, which
 * headers pass, bodies streamed byte for byte up to the media cap, an upstream timeout, and the meters. Every
 * refusal is checked to be local: the sandbox's call log does not grow.
 */
class GatewayForwardingIT {

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
    void credentialPathsUnmappedPathsAbsoluteUrisAndConnectAreRefused() throws Exception {
        int before = rig.callsNow();
        for (String path : List.of(
                "/cgi-bin/component/api_query_auth?component_access_token=x",
                "/cgi-bin/component/api_get_authorizer_list?component_access_token=x")) {
            SidecarClient.Reply reply = rig.client.post(path, "{}", "X-Tokencast-Key", KEY.asString());
            assertThat(reply.json().get("errcode").asInt()).as(path).isEqualTo(48001);
        }
        assertThat(rig.client
                        .get("/not-wechat/at-all", "X-Tokencast-Key", KEY.asString())
                        .json()
                        .get("errcode")
                        .asInt())
                .isEqualTo(48001);

        String absolute = rig.raw("GET http://api.weixin.qq.com/cgi-bin/menu/get HTTP/1.1\r\n"
                + "Host: api.weixin.qq.com\r\nX-Tokencast-Key: " + KEY.asString() + "\r\nConnection: close\r\n\r\n");
        assertThat(absolute).startsWith("HTTP/1.1 400").contains("48001");
        String connect = rig.raw("CONNECT api.weixin.qq.com:443 HTTP/1.1\r\nHost: api.weixin.qq.com:443\r\n"
                + "Connection: close\r\n\r\n");
        assertThat(connect).startsWith("HTTP/1.1 405");

        assertThat(rig.callsNow()).as("nothing reached the upstream").isEqualTo(before);
    }

    @Test
    void hopByHopHeadersAreStrippedAndOthersPass() throws Exception {
        String answer = rig.raw("GET /cgi-bin/menu/get HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Tokencast-Key: "
                + KEY.asString() + "\r\nConnection: close, X-Drop-Me\r\nX-Drop-Me: 1\r\nKeep-Alive: timeout=5\r\n"
                + "Proxy-Authorization: Basic Zm9vOmJhcg==\r\nX-Request-Id: r-1\r\nTE: trailers\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 200");
        assertThat(answer.lines().filter(line -> line.regionMatches(true, 0, "Date:", 0, 5)))
                .as("the upstream's Date, once: the sidecar adds none of its own")
                .hasSize(1);
        SandboxCall call = rig.lastCall();
        assertThat(call.headerNames())
                .contains("x-request-id")
                .doesNotContain("x-drop-me", "keep-alive", "proxy-authorization", "te", "x-tokencast-key");
    }

    @Test
    void aQueryNoUpstreamUriCanCarryIsRefusedWithoutQuotingIt() throws Exception {
        int before = rig.callsNow();
        for (String query : List.of("openid=a|b", "openid=a%zz", "openid=a b")) {
            String answer =
                    rig.raw("GET /cgi-bin/user/info?" + query + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Tokencast-Key: "
                            + KEY.asString() + "\r\nConnection: close\r\n\r\n");
            assertThat(answer).as(query).doesNotStartWith("HTTP/1.1 5").containsAnyOf("40097", "HTTP/1.1 400");
        }
        assertThat(rig.callsNow()).isEqualTo(before);
    }

    @Test
    void tenMegabytesUpAndDownStreamByteForByte() throws Exception {
        byte[] file = new byte[10 * 1024 * 1024];
        new java.util.Random(22).nextBytes(file);
        String boundary = "----tokencast" + System.nanoTime();
        byte[] body = GatewayRig.multipart(boundary, "photo.jpg", file);
        HttpClient http = HttpClient.newHttpClient();

        HttpResponse<String> uploaded = http.send(
                HttpRequest.newBuilder(URI.create(rig.sidecar.url() + "/cgi-bin/media/upload?type=image"))
                        .header("X-Tokencast-Key", KEY.asString())
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        String mediaId =
                SidecarClient.JSON.readTree(uploaded.body()).get("media_id").asString();
        HttpResponse<byte[]> downloaded = http.send(
                HttpRequest.newBuilder(URI.create(rig.sidecar.url() + "/cgi-bin/media/get?media_id=" + mediaId))
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
        int before = rig.callsNow();
        HttpResponse<String> refused = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(rig.sidecar.url() + "/cgi-bin/media/upload?type=image"))
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
                        HttpRequest.newBuilder(URI.create(rig.sidecar.url() + "/cgi-bin/media/upload?type=image"))
                                .header("X-Tokencast-Key", KEY.asString())
                                .header("Content-Type", "multipart/form-data; boundary=x")
                                .POST(HttpRequest.BodyPublishers.ofInputStream(
                                        () -> new java.io.ByteArrayInputStream(new byte[13 * 1024 * 1024])))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(SidecarClient.JSON.readTree(chunked.body()).get("errcode").asInt())
                .isEqualTo(40006);
        assertThat(rig.callsNow()).isEqualTo(before);
    }

    @Test
    void anUpstreamTimeoutIsWeChatsMinusOneWithTheCause() {
        rig.sandbox.setLatency(Duration.ofMillis(4500));
        try {
            SidecarClient.Reply reply = rig.client.get("/cgi-bin/menu/get", "X-Tokencast-Key", KEY.asString());
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.json().get("errcode").asInt()).isEqualTo(-1);
            assertThat(reply.json().get("errmsg").asString()).contains("did not answer within the read timeout");
        } finally {
            rig.sandbox.setLatency(Duration.ZERO);
        }
    }

    @Test
    void metricsArePerPathTemplateAndHoldNoCredential() {
        String handle = rig.client
                .get("/cgi-bin/token?grant_type=client_credential&appid=" + APP + "&secret=any")
                .json()
                .get("access_token")
                .asString();
        rig.client.get("/cgi-bin/user/info?openid=o-metrics&access_token=" + handle);
        rig.client.get("/cgi-bin/menu/get");

        String metrics = rig.client.get("/metrics").body();

        assertThat(metrics)
                .contains(
                        "tokencast_sidecar_gateway_calls_seconds_count{outcome=\"forwarded\",path=\"/cgi-bin/user/info\"}")
                .contains(
                        "tokencast_sidecar_gateway_refusals_total{path=\"/cgi-bin/menu/get\",reason=\"credential-41001\"}")
                .contains("tokencast_sidecar_gateway_upstream_seconds")
                .doesNotContain(handle)
                .doesNotContain(rig.sidecar.view().token(KEY).value())
                .doesNotContain("o-metrics");
    }
}
