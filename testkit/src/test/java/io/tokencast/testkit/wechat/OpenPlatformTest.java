package io.tokencast.testkit.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tokencast.testkit.MutableClock;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class OpenPlatformTest {

    private static final String COMPONENT = "wx00000000000000c1";
    private static final String SECRET = "component-secret";
    private static final String AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    private static final String CALLBACK_TOKEN = "callback-token";
    private static final String AUTHORIZER = "wx00000000000000a1";
    private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T02:00:00Z"));

    private final CallbackReceiver receiver = new CallbackReceiver();
    private WeChatSandbox sandbox;
    private SandboxClient client;

    @BeforeEach
    void start() {
        sandbox = WeChatSandbox.start(clock)
                .registerComponent(COMPONENT, SECRET, AES_KEY, CALLBACK_TOKEN, receiver.url());
        client = new SandboxClient(sandbox.url());
        // the first push follows registration at once
        await().atMost(Duration.ofSeconds(5)).until(() -> sandbox.pushReplies().size() == 1);
    }

    @AfterEach
    void stop() {
        sandbox.stop();
        receiver.close();
    }

    @Test
    void pushedTicketDecryptsWithTheDocumentedAlgorithmAndItsSignatureVerifies() throws Exception {
        // given the push the receiver got
        CallbackReceiver.Push push = receiver.pushes().get(0);
        Map<String, String> q = push.query();
        String encrypt = xmlText(push.body(), "Encrypt");

        // then the signatures are SHA-1 over the sorted parts
        assertThat(q.get("encrypt_type")).isEqualTo("aes");
        assertThat(q.get("msg_signature"))
                .isEqualTo(sha1Sorted(CALLBACK_TOKEN, q.get("timestamp"), q.get("nonce"), encrypt));
        assertThat(q.get("signature")).isEqualTo(sha1Sorted(CALLBACK_TOKEN, q.get("timestamp"), q.get("nonce")));
        assertThat(push.contentType()).isEqualTo("text/xml");
        assertThat(xmlText(push.body(), "AppId")).isEqualTo(COMPONENT);

        // and the payload decrypts to the current ticket
        String payload = decrypt(encrypt, COMPONENT);
        assertThat(xmlText(payload, "InfoType")).isEqualTo("component_verify_ticket");
        assertThat(xmlText(payload, "AppId")).isEqualTo(COMPONENT);
        assertThat(xmlText(payload, "CreateTime"))
                .isEqualTo(Long.toString(clock.instant().getEpochSecond()));
        assertThat(xmlText(payload, "ComponentVerifyTicket"))
                .startsWith("ticket@@@")
                .isEqualTo(sandbox.currentVerifyTicket(COMPONENT).orElseThrow());
        assertThat(sandbox.pushReplies()).singleElement().satisfies(r -> assertThat(r.succeeded())
                .isTrue());
    }

    @Test
    void ticketsArePushedEveryTenMinutesOfTheSandboxClock() {
        // given the first push
        String first = sandbox.currentVerifyTicket(COMPONENT).orElseThrow();

        // when the clock crosses ten minutes
        clock.advance(Duration.ofMinutes(10));

        // then a second push brings a different ticket
        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.pushes().size() == 2);
        assertThat(sandbox.currentVerifyTicket(COMPONENT)).isPresent().get().isNotEqualTo(first);
    }

    @Test
    void pushTicketNowReturnsTheCallbacksReply() {
        // when
        TicketPushReply reply = sandbox.pushTicketNow(COMPONENT);

        // then
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("success");
        assertThat(reply.ticketFingerprint()).matches("sha256:[0-9a-f]{16}");
        assertThat(receiver.pushes()).hasSize(2);
    }

    @Test
    void startPushTicketTriggersAPush() {
        // when
        SandboxClient.Response started = client.postJson(
                "/cgi-bin/component/api_start_push_ticket",
                Map.of("component_appid", COMPONENT, "component_secret", SECRET));

        // then
        assertThat(started.errcode()).isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.pushes().size() == 2);
    }

    @Test
    void componentTokenNeedsAKnownTicketYoungerThan12Hours() {
        // given
        String ticket = sandbox.currentVerifyTicket(COMPONENT).orElseThrow();

        // when / then
        assertThat(componentToken("ticket@@@forged").errcode()).isEqualTo(61006);
        SandboxClient.Response ok = componentToken(ticket);
        assertThat(ok.errcode()).isZero();
        assertThat(ok.json().propertyNames()).containsExactly("component_access_token", "expires_in");
        assertThat(client.callbackIp(ok.text("component_access_token")).errcode())
                .isZero();

        sandbox.setTicketCallback(COMPONENT, null);
        clock.advance(Duration.ofHours(12));
        SandboxClient.Response stale = componentToken(ticket);
        assertThat(stale.errcode()).isEqualTo(61005);
        assertThat(stale.text("errmsg")).startsWith("component ticket is expired rid: ");
    }

    @Test
    void componentTokensRotateWithTheOverlap() {
        // given
        String ticket = sandbox.currentVerifyTicket(COMPONENT).orElseThrow();
        String first = componentToken(ticket).text("component_access_token");

        // when
        String second = componentToken(ticket).text("component_access_token");
        clock.advance(Duration.ofSeconds(301));

        // then
        assertThat(client.callbackIp(first).errcode()).isEqualTo(40001);
        assertThat(client.callbackIp(second).errcode()).isZero();
    }

    @Test
    void authorizerTokenNeedsTheCurrentRefreshTokenOfAnAuthorisedAccount() {
        // given
        String refreshToken = sandbox.registerAuthorizer(COMPONENT, AUTHORIZER);
        String componentToken = componentToken(
                        sandbox.currentVerifyTicket(COMPONENT).orElseThrow())
                .text("component_access_token");

        // when
        SandboxClient.Response ok = authorizerToken(componentToken, refreshToken);

        // then
        assertThat(refreshToken).startsWith("refreshtoken@@@");
        assertThat(ok.errcode()).isZero();
        assertThat(ok.text("authorizer_refresh_token")).isEqualTo(refreshToken);
        assertThat(ok.expiresIn()).isEqualTo(7200);
        assertThat(client.callbackIp(ok.text("authorizer_access_token")).errcode())
                .isZero();
        assertThat(authorizerToken(componentToken, "refreshtoken@@@unknown").errcode())
                .isEqualTo(61023);
        assertThat(authorizerToken("not-a-token", refreshToken).errcode()).isEqualTo(40001);

        // when re-authorised, then the old refresh token is dead
        String renewed = sandbox.reauthorize(COMPONENT, AUTHORIZER);
        assertThat(authorizerToken(componentToken, refreshToken).errcode()).isEqualTo(61023);
        assertThat(authorizerToken(componentToken, renewed).errcode()).isZero();

        // when de-authorised, then 61003
        sandbox.deauthorize(COMPONENT, AUTHORIZER);
        assertThat(authorizerToken(componentToken, renewed).errcode()).isEqualTo(61003);
    }

    private SandboxClient.Response componentToken(String ticket) {
        return client.postJson(
                "/cgi-bin/component/api_component_token",
                Map.of(
                        "component_appid", COMPONENT,
                        "component_appsecret", SECRET,
                        "component_verify_ticket", ticket));
    }

    private SandboxClient.Response authorizerToken(String componentToken, String refreshToken) {
        return client.postJson(
                "/cgi-bin/component/api_authorizer_token",
                Map.of(
                        "component_appid", COMPONENT,
                        "authorizer_appid", AUTHORIZER,
                        "authorizer_refresh_token", refreshToken),
                "component_access_token",
                componentToken);
    }

    /** The documented decryption (docs/wechat-api.md §5.1), written here independently of the sandbox. */
    private static String decrypt(String encrypt, String expectedAppid) throws Exception {
        byte[] key = Base64.getDecoder().decode(AES_KEY + "=");
        Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(Arrays.copyOf(key, 16)));
        byte[] padded = cipher.doFinal(Base64.getDecoder().decode(encrypt));
        int pad = padded[padded.length - 1];
        assertThat(pad).isBetween(1, 32);
        byte[] plain = Arrays.copyOf(padded, padded.length - pad);
        int length = ByteBuffer.wrap(plain, 16, 4).getInt();
        String message = new String(plain, 20, length, StandardCharsets.UTF_8);
        String appid = new String(plain, 20 + length, plain.length - 20 - length, StandardCharsets.UTF_8);
        assertThat(appid).isEqualTo(expectedAppid);
        return message;
    }

    private static String sha1Sorted(String... parts) throws Exception {
        String[] sorted = parts.clone();
        Arrays.sort(sorted);
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-1")
                        .digest(String.join("", sorted).getBytes(StandardCharsets.UTF_8)));
    }

    private static String xmlText(String xml, String element) throws Exception {
        Document doc = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        return doc.getElementsByTagName(element).item(0).getTextContent();
    }
}
