package io.tokencast.refresher.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.tokencast.refresher.wechat.WeChatException.Retry;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import io.tokencast.testkit.MutableClock;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link WeChatHttpClient} against what the sandbox never does: a host that is not there, and replies of a
 * one-route stub server (an odd content type, a body that is no JSON, too large or without a token, a non-numeric
 * errcode, an errmsg echoing the secret). Each failure backs off and quotes neither the body nor the secret.
 */
class WeChatHttpClientRepliesTest {

    private static final String APPID = "wx0123456789abcdef";
    // '+' and '/' make the URL-encoded form differ from the raw one: both must stay out of messages.
    private static final String SECRET = "s3cr3t+/value0123456789abcdef";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T01:00:00Z"));

    @Test
    void anUnreachableHostBacksOffWithoutQuotingTheUri() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        WeChatHttpClient nowhere = clientFor(URI.create("http://127.0.0.1:" + closedPort), Duration.ofSeconds(2));

        WeChatException e = FetchFailures.fetchFails(nowhere, app(WeChatApi.CLASSIC), FetchMode.NORMAL, SECRET);

        assertThat(e.errorCode()).isEqualTo("IO");
        assertThat(e.retry()).isEqualTo(Retry.BACKOFF);
        assertThat(e.getMessage()).contains("ConnectException").doesNotContain("grant_type");
    }

    @Test
    void parsesATokenWhateverTheContentType() throws IOException {
        try (StubServer stub = new StubServer(200, "text/plain", "{\"access_token\":\"tok-1\",\"expires_in\":7200}")) {
            FetchedToken token =
                    clientFor(stub.url(), Duration.ofSeconds(5)).fetch(app(WeChatApi.CLASSIC), FetchMode.NORMAL);

            assertThat(token.token()).isEqualTo("tok-1");
        }
    }

    @Test
    void anUnparsableBodyBacksOffWithoutQuotingTheBody() throws IOException {
        try (StubServer stub = new StubServer(200, "text/html", "<html>access_token=tok-secret-ish</html>")) {
            WeChatException e = FetchFailures.fetchFails(
                    clientFor(stub.url(), Duration.ofSeconds(5)), app(WeChatApi.STABLE), FetchMode.NORMAL, SECRET);

            assertThat(e.errorCode()).isEqualTo("BAD_RESPONSE");
            assertThat(e.retry()).isEqualTo(Retry.BACKOFF);
            assertThat(e.getMessage()).doesNotContain("tok-secret-ish");
        }
    }

    @Test
    void aBodyWithoutTokenOrErrcodeBacksOff() throws IOException {
        try (StubServer stub = new StubServer(200, "application/json", "{\"expires_in\":7200}")) {
            WeChatException e = FetchFailures.fetchFails(
                    clientFor(stub.url(), Duration.ofSeconds(5)), app(WeChatApi.STABLE), FetchMode.NORMAL, SECRET);

            assertThat(e.errorCode()).isEqualTo("BAD_RESPONSE");
        }
    }

    @Test
    void anOversizedBodyIsRefusedWithoutReadingItAll() throws IOException {
        String huge = "{\"access_token\":\"" + "t".repeat(WeChatTransport.MAX_BODY_BYTES) + "\",\"expires_in\":7200}";
        try (StubServer stub = new StubServer(200, "application/json", huge)) {
            WeChatException e = FetchFailures.fetchFails(
                    clientFor(stub.url(), Duration.ofSeconds(5)), app(WeChatApi.STABLE), FetchMode.NORMAL, SECRET);

            assertThat(e.errorCode()).isEqualTo("BAD_RESPONSE");
            assertThat(e.retry()).isEqualTo(Retry.BACKOFF);
            assertThat(e.getMessage()).contains("larger than " + WeChatTransport.MAX_BODY_BYTES + " bytes");
        }
    }

    @Test
    void aNonNumericErrcodeIsAMalformedReplyForEveryCaller() throws IOException {
        try (StubServer stub = new StubServer(200, "application/json", "{\"errcode\":\"oops\",\"errmsg\":\"x\"}")) {
            WeChatException fetch = FetchFailures.fetchFails(
                    clientFor(stub.url(), Duration.ofSeconds(5)), app(WeChatApi.STABLE), FetchMode.NORMAL, SECRET);
            WeChatException openPlatform =
                    org.assertj.core.api.Assertions.catchThrowableOfType(WeChatException.class, () -> {
                        WeChatTransport transport =
                                new WeChatTransport(new WeChatHttpClient.Host(stub.url(), Duration.ofSeconds(5)));
                        WeChatTransport.errcode(
                                transport.get("api_query_auth", "/cgi-bin/component/api_query_auth", Map.of()),
                                "api_query_auth");
                    });

            assertThat(fetch.errorCode()).isEqualTo("BAD_RESPONSE");
            assertThat(openPlatform.errorCode()).isEqualTo("BAD_RESPONSE");
            assertThat(openPlatform.retry()).isEqualTo(fetch.retry()).isEqualTo(Retry.BACKOFF);
        }
    }

    @Test
    void anErrmsgEchoingTheSecretIsRedacted() throws IOException {
        String body = "{\"errcode\":40125,\"errmsg\":\"invalid appsecret " + SECRET + " rid: 1\"}";
        try (StubServer stub = new StubServer(200, "application/json", body)) {
            WeChatException e = FetchFailures.fetchFails(
                    clientFor(stub.url(), Duration.ofSeconds(5)), app(WeChatApi.CLASSIC), FetchMode.NORMAL, SECRET);

            assertThat(e.getMessage()).contains("invalid appsecret <redacted> rid: 1");
        }
    }

    private WeChatHttpClient clientFor(URI url, Duration timeout) {
        return new WeChatHttpClient(
                new WeChatHttpClient.Host(url, timeout), new WeChatHttpClient.Host(url, timeout), clock);
    }

    private static ManagedCredential app(WeChatApi api) {
        return new ManagedCredential(TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, APPID), api, SECRET);
    }

    /** A one-route HTTP server answering a fixed body, for answers the sandbox never gives. */
    private static final class StubServer implements AutoCloseable {
        private final HttpServer server;

        StubServer(int status, String contentType, String body) throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", contentType);
                exchange.sendResponseHeaders(status, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            });
            server.start();
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
