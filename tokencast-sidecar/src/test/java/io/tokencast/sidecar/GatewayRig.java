package io.tokencast.sidecar;

import static org.awaitility.Awaitility.await;

import io.tokencast.schema.TokenKey;
import io.tokencast.testkit.MutableClock;
import io.tokencast.testkit.signing.TestRefresherKey;
import io.tokencast.testkit.wechat.SandboxCall;
import io.tokencast.testkit.wechat.SandboxSettings;
import io.tokencast.testkit.wechat.WeChatSandbox;
import java.io.ByteArrayOutputStream;
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
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway ITs' rig, set up once per test class: the WeChat sandbox as the upstream, real Kafka for the tokens
 * with what a refresher would publish (tokens the sandbox really issued: an app's, a WeCom agent's, a jsapi ticket),
 * and a sidecar in gateway mode in front of the sandbox. Shared by {@link GatewayCredentialsIT} and
 * {@link GatewayForwardingIT}, so both check the same gateway.
 */
final class GatewayRig implements AutoCloseable {

    static final String APP = "wxgatewaycontract1";
    static final String SECRET = "gateway-contract-real-secret";
    static final TokenKey KEY = TokenKey.parse("wechat-access-token/" + APP);
    static final String CORP = "wwgatewaycorp0001";
    static final String AGENT = "1000002";
    static final String CORPSECRET = "gateway-contract-corpsecret";
    static final TokenKey AGENT_KEY = TokenKey.parse("wecom-access-token/" + CORP + "." + AGENT);

    final WeChatSandbox sandbox;
    final Topics topics;
    final MutableClock clock;
    final Sidecar sidecar;
    final SidecarClient client;
    private final AtomicLong version = new AtomicLong();
    /** The app's token the topic holds last. */
    String current;

    private GatewayRig(Path handleKey) throws Exception {
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
        sidecar = startSidecar(config(handleKey));
        client = new SidecarClient(sidecar.url());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> sidecar.isReady() && sidecar.view().find(KEY).isPresent());
    }

    /** Starts the rig, its sidecar keeping its handle key in {@code handleKey}. */
    static GatewayRig start(Path handleKey) throws Exception {
        return new GatewayRig(handleKey);
    }

    @Override
    public void close() {
        sidecar.close();
        topics.close();
        sandbox.close();
    }

    /** The gateway's configuration, in front of the sandbox, with its handle key in {@code handleKey}. */
    SidecarConfig config(Path handleKey) {
        return SidecarConfig.defaults(Topics.bootstrapServers())
                .withRefresherKeys(TestRefresherKey.shared().publicJwkSetFile())
                .withTopics(topics.tokens, topics.reports)
                .withWeComAgents(List.of(new WeComAgent(CORP, AGENT, Optional.of("/wecom/" + AGENT), Optional.empty())))
                .withGateway(GatewayConfig.towards(sandbox.url(), handleKey)
                        .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(5))
                        .withMaxMediaBytes(12L * 1024 * 1024));
    }

    /** Another sidecar on the rig's clock, for tests that need one of their own. */
    Sidecar startSidecar(SidecarConfig config) {
        return Sidecar.start(config, clock);
    }

    /** Fetches a token at the sandbox as the refresher would, and publishes it as the next version. */
    String publishFresh() throws Exception {
        String token = fetchBehindTheBack();
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

    /** Fetches a token at the sandbox, as a third party behind the fleet's back would. */
    String fetchBehindTheBack() throws Exception {
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

    int callsNow() {
        return sandbox.callLog().size();
    }

    SandboxCall lastCall() {
        List<SandboxCall> log = sandbox.callLog();
        return log.get(log.size() - 1);
    }

    String servedFingerprint() {
        return sidecar.view().token(KEY).fingerprint();
    }

    /** Sends {@code request} as written to the rig's sidecar and reads its answer, headers and body. */
    String raw(String request) throws IOException {
        URI url = sidecar.url();
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            // Up to the end of the answer's headers and its Content-Length of body: a CONNECT answer need not close.
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                got.write(b);
                String text = got.toString(StandardCharsets.ISO_8859_1);
                int end = text.indexOf("\r\n\r\n");
                if (end >= 0) {
                    Matcher m = Pattern.compile("(?i)content-length: *(\\d+)").matcher(text.substring(0, end));
                    int length = m.find() ? Integer.parseInt(m.group(1)) : 0;
                    got.write(in.readNBytes(length));
                    break;
                }
            }
            return got.toString(StandardCharsets.UTF_8);
        }
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

    static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
