package io.tokencast.refresher.service.openplatform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.tokencast.testkit.MutableClock;
import io.tokencast.testkit.wechat.SandboxSettings;
import io.tokencast.testkit.wechat.WeChatSandbox;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MessageCryptoTest {

    static final String KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    static final String OLD_KEY = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFG";
    static final String OTHER_KEY = "ZYXWVUTSRQPONMLKJIHGFEDCBAzyxwvutsrqponmlkj";

    private final MessageCrypto crypto = new MessageCrypto("wxcomponent0001", "callback-token", KEY, null);

    @Test
    void decryptsWhatItEncrypts() {
        String xml =
                "<xml><InfoType>component_verify_ticket</InfoType><ComponentVerifyTicket>票</ComponentVerifyTicket></xml>";

        MessageCrypto.Decrypted plain = crypto.decrypt(crypto.encrypt(xml)).orElseThrow();

        assertThat(plain.message()).isEqualTo(xml);
        assertThat(plain.appid()).isEqualTo("wxcomponent0001");
    }

    @Test
    void padsToThirtyTwoByteBlocks() {
        for (int length = 0; length < 70; length++) {
            String message = "x".repeat(length);
            byte[] ciphertext = Base64.getDecoder().decode(crypto.encrypt(message));

            assertThat(ciphertext.length % 32).isZero();
            assertThat(crypto.decrypt(Base64.getEncoder().encodeToString(ciphertext))
                            .orElseThrow()
                            .message())
                    .isEqualTo(message);
        }
    }

    @Test
    void signsTheSortedConcatenationWithSha1() {
        // sha1("1409304348" + "callback-token" + "enc" + "xxxxxx"), the parts in lexical order.
        String expected = MessageCrypto.sha1Sorted("1409304348", "callback-token", "enc", "xxxxxx");

        assertThat(crypto.signature("1409304348", "xxxxxx", "enc")).isEqualTo(expected);
        assertThat(MessageCrypto.sha1Sorted("b", "a")).isEqualTo("da23614e02469a0d7c7bd1bdab5c9c474b1904dc");
        assertThat(crypto.verify(expected, "1409304348", "xxxxxx", "enc")).isTrue();
        assertThat(crypto.verify(expected.toUpperCase(), "1409304348", "xxxxxx", "enc"))
                .isTrue();
        assertThat(crypto.verify(expected, "1409304349", "xxxxxx", "enc")).isFalse();
        assertThat(crypto.verify(null, "1409304348", "xxxxxx", "enc")).isFalse();
    }

    @Test
    void decryptsWithThePreviousKeyWhileWeChatSwitchesOver() {
        MessageCrypto before = new MessageCrypto("wxcomponent0001", "callback-token", OLD_KEY, null);
        MessageCrypto after = new MessageCrypto("wxcomponent0001", "callback-token", KEY, OLD_KEY);

        String encryptedWithOldKey = before.encrypt("<xml/>");

        assertThat(after.decrypt(encryptedWithOldKey))
                .map(MessageCrypto.Decrypted::message)
                .contains("<xml/>");
        assertThat(crypto.decrypt(encryptedWithOldKey)).isEmpty();
    }

    @Test
    void refusesCiphertextOfAnotherKeyOrGarbage() {
        MessageCrypto other = new MessageCrypto("wxcomponent0001", "callback-token", OTHER_KEY, null);

        assertThat(crypto.decrypt(other.encrypt("<xml/>"))).isEmpty();
        assertThat(crypto.decrypt("not base64 !")).isEmpty();
        assertThat(crypto.decrypt(Base64.getEncoder().encodeToString(new byte[15])))
                .isEmpty();
        assertThat(crypto.decrypt("")).isEmpty();
    }

    @Test
    void reportsTheAppidInsideSoTheCallerCanRefuseAnotherPlatformsMessage() {
        MessageCrypto sameKeyOtherPlatform = new MessageCrypto("wxsomeoneelse", "callback-token", KEY, null);

        assertThat(crypto.decrypt(sameKeyOtherPlatform.encrypt("<xml/>"))
                        .orElseThrow()
                        .appid())
                .isEqualTo("wxsomeoneelse");
    }

    @Test
    void rejectsMalformedKeysWithoutEchoingThem() {
        assertThatThrownBy(() -> new MessageCrypto("wx1", "t", "short-secret-key", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("short-secret-key");
        assertThat(crypto.toString()).doesNotContain(KEY).doesNotContain("callback-token");
    }

    @Test
    void decryptsTheSandboxesTicketPushes() throws IOException {
        AtomicReference<Map<String, String>> query = new AtomicReference<>();
        AtomicReference<String> body = new AtomicReference<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/callback", exchange -> {
            query.set(parse(exchange.getRequestURI().getRawQuery()));
            try (InputStream in = exchange.getRequestBody()) {
                body.set(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            byte[] ok = "success".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        receiver.start();
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T00:00:00Z"));
        SandboxSettings settings =
                SandboxSettings.builder().ticketPushInterval(Duration.ZERO).build();
        try (WeChatSandbox sandbox = WeChatSandbox.start(clock, settings)) {
            URI callback =
                    URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/callback");
            // Registering with a callback pushes once; with the interval at zero, never again.
            sandbox.registerComponent("wxcomponent0001", "component-secret", KEY, "callback-token", callback);

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !sandbox.pushReplies().isEmpty());

            assertThat(sandbox.pushReplies()).singleElement().satisfies(r -> assertThat(r.succeeded())
                    .isTrue());
            String encrypted = element(body.get(), "Encrypt");
            Map<String, String> q = query.get();
            assertThat(crypto.verify(q.get("msg_signature"), q.get("timestamp"), q.get("nonce"), encrypted))
                    .isTrue();
            MessageCrypto.Decrypted plain = crypto.decrypt(encrypted).orElseThrow();
            assertThat(plain.appid()).isEqualTo("wxcomponent0001");
            assertThat(element(plain.message(), "ComponentVerifyTicket"))
                    .isEqualTo(sandbox.currentVerifyTicket("wxcomponent0001").orElseThrow());
        } finally {
            receiver.stop(0);
        }
    }

    private static String element(String xml, String name) {
        Matcher m = Pattern.compile("<" + name + "><!\\[CDATA\\[(.*?)]]></" + name + ">")
                .matcher(xml);
        assertThat(m.find()).as("%s in %s", name, xml).isTrue();
        return m.group(1);
    }

    private static Map<String, String> parse(String query) {
        Map<String, String> out = new HashMap<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            out.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return out;
    }
}
