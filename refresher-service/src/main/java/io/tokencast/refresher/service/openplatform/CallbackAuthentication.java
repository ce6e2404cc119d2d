package io.tokencast.refresher.service.openplatform;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Proves that a push to the callback comes from WeChat, for this component, for the first time. Checks, in
 * order: the body fits the size limit, the query parameters, the outer XML (no DOCTYPE), {@code msg_signature},
 * the timestamp's age, decryption and the AppId inside, and the nonce was not seen before. Apart from
 * {@link VerifyTicketCallback}, which acts on what passes, because this is the part an attacker talks to: every
 * request is untrusted here, and nothing here stores a credential.
 */
final class CallbackAuthentication {

    private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern TIMESTAMP = Pattern.compile("[0-9]{1,12}");

    /** A push that passed every check, with what is needed to act on it. */
    record Push(String nonce, Instant sent, Map<String, String> fields) {}

    private final ReplayGuard replays;
    private final Clock clock;
    private final long maxBodyBytes;
    private final Duration replayWindow;

    CallbackAuthentication(ReplayGuard replays, Clock clock, long maxBodyBytes, Duration replayWindow) {
        this.replays = replays;
        this.clock = clock;
        this.maxBodyBytes = maxBodyBytes;
        this.replayWindow = replayWindow;
    }

    /** The push in {@code request}, authenticated for {@code component}; its nonce is claimed. */
    Push authenticate(Component component, HttpServletRequest request) throws CallbackRefused {
        // The query is read by hand: request parameters would make the container parse a form body.
        Map<String, String> query = query(request.getQueryString());
        byte[] body = body(request);
        String timestamp = required(query, "timestamp");
        String nonce = required(query, "nonce");
        String signature = required(query, "msg_signature");
        String encryptType = query.get("encrypt_type");
        if (encryptType != null && !encryptType.equals("aes")) {
            throw new CallbackRefused(Rejection.BAD_PARAMETER, "encrypt_type is not aes");
        }
        if (!TIMESTAMP.matcher(timestamp).matches() || !NONCE.matcher(nonce).matches()) {
            throw new CallbackRefused(Rejection.BAD_PARAMETER, "timestamp or nonce has an unexpected shape");
        }
        Map<String, String> outer = xml(body);
        String encrypted = outer.get("Encrypt");
        if (encrypted == null || encrypted.isEmpty()) {
            throw new CallbackRefused(Rejection.MALFORMED_XML, "no Encrypt element");
        }
        String outerAppid = outer.get("AppId");
        if (outerAppid != null && !outerAppid.equals(component.appid())) {
            throw new CallbackRefused(Rejection.WRONG_APPID, "outer AppId is another platform's");
        }
        // The signature before anything that touches state: an unauthenticated request must not burn a nonce.
        if (!component.crypto().verify(signature, timestamp, nonce, encrypted)) {
            throw new CallbackRefused(Rejection.BAD_SIGNATURE, "msg_signature does not match");
        }
        Instant sent = Instant.ofEpochSecond(Long.parseLong(timestamp));
        if (Duration.between(sent, clock.instant()).abs().compareTo(replayWindow) > 0) {
            throw new CallbackRefused(Rejection.STALE_TIMESTAMP, "timestamp " + sent + " is outside " + replayWindow);
        }
        MessageCrypto.Decrypted plain = component
                .crypto()
                .decrypt(encrypted)
                .orElseThrow(
                        () -> new CallbackRefused(Rejection.UNDECRYPTABLE, "no configured EncodingAESKey decrypts it"));
        if (!plain.appid().equals(component.appid())) {
            throw new CallbackRefused(Rejection.WRONG_APPID, "ciphertext is for another platform");
        }
        Map<String, String> fields = xml(plain.message().getBytes(StandardCharsets.UTF_8));
        String innerAppid = fields.get("AppId");
        if (innerAppid != null && !innerAppid.equals(component.appid())) {
            throw new CallbackRefused(Rejection.WRONG_APPID, "inner AppId is another platform's");
        }
        if (!replays.claim(component.appid(), nonce)) {
            throw new CallbackRefused(Rejection.REPLAYED_NONCE, "nonce was seen before");
        }
        return new Push(nonce, sent, fields);
    }

    private byte[] body(HttpServletRequest request) throws CallbackRefused {
        if (request.getContentLengthLong() > maxBodyBytes) {
            throw new CallbackRefused(Rejection.TOO_LARGE, "Content-Length above " + maxBodyBytes + " bytes");
        }
        try (InputStream in = request.getInputStream()) {
            // One byte more than allowed tells a chunked body that is too large from one that fits exactly.
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 1, maxBodyBytes) + 1);
            if (body.length > maxBodyBytes) {
                throw new CallbackRefused(Rejection.TOO_LARGE, "body above " + maxBodyBytes + " bytes");
            }
            return body;
        } catch (IOException e) {
            throw new CallbackRefused(
                    Rejection.MALFORMED_XML,
                    "body could not be read: " + e.getClass().getName());
        }
    }

    private static Map<String, String> xml(byte[] bytes) throws CallbackRefused {
        try {
            return CallbackXml.parse(bytes);
        } catch (CallbackXml.UnreadableXml e) {
            throw new CallbackRefused(
                    e.problem() == CallbackXml.Problem.DOCTYPE ? Rejection.XML_DOCTYPE : Rejection.MALFORMED_XML,
                    e.getMessage());
        }
    }

    private static Map<String, String> query(String raw) throws CallbackRefused {
        Map<String, String> out = new HashMap<>();
        if (raw == null) {
            return out;
        }
        try {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                out.putIfAbsent(name, value);
            }
        } catch (IllegalArgumentException e) {
            throw new CallbackRefused(Rejection.BAD_PARAMETER, "query string is not URL-encoded");
        }
        return out;
    }

    private static String required(Map<String, String> query, String name) throws CallbackRefused {
        String value = query.get(name);
        if (value == null || value.isEmpty()) {
            throw new CallbackRefused(Rejection.MISSING_PARAMETER, name + " is missing");
        }
        return value;
    }
}
