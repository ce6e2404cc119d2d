package io.tokencast.refresher.openplatform;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tokencast.refresher.config.TokencastProperties;
import io.tokencast.refresher.wechat.WeChatException;
import io.tokencast.schema.CredentialKind;
import io.tokencast.schema.CredentialSource;
import io.tokencast.schema.CredentialStored;
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
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The open platform's "授权事件接收URL", served by every replica: {@code POST
 * /wechat/open-platform/{componentAppid}/callback?timestamp=&nonce=&encrypt_type=aes&msg_signature=}.
 * Checks, in order: the component is served here, the body fits the size limit, the query parameters, the
 * outer XML (no DOCTYPE), {@code msg_signature}, the timestamp's age, decryption and the AppId inside, and the
 * nonce was not seen before; then stores a {@code component_verify_ticket} in the {@link CredentialVault}
 * or acts on an authorization event, and answers {@code success}. Each refusal answers the status of its
 * {@link Rejection}, stores nothing and counts {@code tokencast.callback.rejected{reason}}.
 */
@RestController
final class VerifyTicketCallback {

    private static final Logger log = LoggerFactory.getLogger(VerifyTicketCallback.class);
    private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern TIMESTAMP = Pattern.compile("[0-9]{1,12}");
    private static final Duration TICKET_LIFETIME = Duration.ofHours(12);

    private final Components components;
    private final ReplayGuard replays;
    private final CredentialVault vault;
    private final AuthorizationEvents authorizations;
    private final MeterRegistry meters;
    private final Clock clock;
    private final long maxBodyBytes;
    private final Duration replayWindow;
    private final String instanceId;

    /** Thrown inside the handler to refuse a push; never leaves this class. */
    private static final class Refused extends Exception {
        private final Rejection rejection;

        Refused(Rejection rejection, String detail) {
            super(detail, null, false, false);
            this.rejection = rejection;
        }
    }

    VerifyTicketCallback(
            Components components,
            ReplayGuard replays,
            CredentialVault vault,
            AuthorizationEvents authorizations,
            MeterRegistry meters,
            Clock clock,
            OpenPlatformProperties properties,
            TokencastProperties tokencast) {
        this.components = components;
        this.replays = replays;
        this.vault = vault;
        this.authorizations = authorizations;
        this.meters = meters;
        this.clock = clock;
        this.maxBodyBytes = properties.callback().maxBodySize().toBytes();
        this.replayWindow = properties.callback().replayWindow();
        this.instanceId = tokencast.instanceId();
    }

    @PostMapping(path = "/wechat/open-platform/{componentAppid}/callback", produces = MediaType.TEXT_PLAIN_VALUE)
    ResponseEntity<String> receive(@PathVariable String componentAppid, HttpServletRequest request) {
        try {
            Component component = components
                    .find(componentAppid)
                    .orElseThrow(() -> new Refused(Rejection.UNKNOWN_COMPONENT, "not in tokencast.open-platform"));
            // The query is read by hand: request parameters would make the container parse a form body.
            Map<String, String> query = query(request.getQueryString());
            byte[] body = body(request);
            Message message = authenticate(component, query, body);
            return accept(component, message);
        } catch (Refused refused) {
            return refuse(componentAppid, refused, request);
        }
    }

    /** A push that passed every check, with what is needed to act on it. */
    private record Message(String nonce, Instant sent, Map<String, String> fields) {}

    private Message authenticate(Component component, Map<String, String> query, byte[] body) throws Refused {
        String timestamp = required(query, "timestamp");
        String nonce = required(query, "nonce");
        String signature = required(query, "msg_signature");
        String encryptType = query.get("encrypt_type");
        if (encryptType != null && !encryptType.equals("aes")) {
            throw new Refused(Rejection.BAD_PARAMETER, "encrypt_type is not aes");
        }
        if (!TIMESTAMP.matcher(timestamp).matches() || !NONCE.matcher(nonce).matches()) {
            throw new Refused(Rejection.BAD_PARAMETER, "timestamp or nonce has an unexpected shape");
        }
        Map<String, String> outer = xml(body);
        String encrypted = outer.get("Encrypt");
        if (encrypted == null || encrypted.isEmpty()) {
            throw new Refused(Rejection.MALFORMED_XML, "no Encrypt element");
        }
        String outerAppid = outer.get("AppId");
        if (outerAppid != null && !outerAppid.equals(component.appid())) {
            throw new Refused(Rejection.WRONG_APPID, "outer AppId is another platform's");
        }
        // The signature before anything that touches state: an unauthenticated request must not burn a nonce.
        if (!component.crypto().verify(signature, timestamp, nonce, encrypted)) {
            throw new Refused(Rejection.BAD_SIGNATURE, "msg_signature does not match");
        }
        Instant sent = Instant.ofEpochSecond(Long.parseLong(timestamp));
        if (Duration.between(sent, clock.instant()).abs().compareTo(replayWindow) > 0) {
            throw new Refused(Rejection.STALE_TIMESTAMP, "timestamp " + sent + " is outside " + replayWindow);
        }
        MessageCrypto.Decrypted plain = component
                .crypto()
                .decrypt(encrypted)
                .orElseThrow(() -> new Refused(Rejection.UNDECRYPTABLE, "no configured EncodingAESKey decrypts it"));
        if (!plain.appid().equals(component.appid())) {
            throw new Refused(Rejection.WRONG_APPID, "ciphertext is for another platform");
        }
        Map<String, String> fields = xml(plain.message().getBytes(StandardCharsets.UTF_8));
        String innerAppid = fields.get("AppId");
        if (innerAppid != null && !innerAppid.equals(component.appid())) {
            throw new Refused(Rejection.WRONG_APPID, "inner AppId is another platform's");
        }
        if (!replays.claim(component.appid(), nonce)) {
            throw new Refused(Rejection.REPLAYED_NONCE, "nonce was seen before");
        }
        return new Message(nonce, sent, fields);
    }

    private ResponseEntity<String> accept(Component component, Message message) throws Refused {
        String infoType = message.fields().getOrDefault("InfoType", "");
        try {
            switch (infoType) {
                case "component_verify_ticket" -> storeTicket(component, message.sent(), message.fields());
                case "authorized", "updateauthorized" -> authorizations.authorized(
                        component,
                        field(message.fields(), "AuthorizerAppid"),
                        field(message.fields(), "AuthorizationCode"));
                case "unauthorized" -> authorizations.unauthorized(
                        component, field(message.fields(), "AuthorizerAppid"));
                default -> log.info(
                        "callback ignored component={} infoType={} cause=not-a-credential-event",
                        component.appid(),
                        infoType.isEmpty() ? "<none>" : infoType);
            }
        } catch (Refused refused) {
            replays.release(component.appid(), message.nonce());
            throw refused;
        } catch (CredentialVaultException | WeChatException e) {
            // Not stored: forget the nonce, so the push WeChat repeats after a non-success answer is taken.
            replays.release(component.appid(), message.nonce());
            throw new Refused(Rejection.STORE_FAILED, e.getMessage());
        } catch (DataAccessException e) {
            releaseQuietly(component, message);
            throw new Refused(
                    Rejection.STORE_FAILED, "redis failed: " + e.getClass().getName());
        }
        meters.counter("tokencast.callback.accepted", "infoType", known(infoType))
                .increment();
        return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body("success");
    }

    private void releaseQuietly(Component component, Message message) {
        try {
            replays.release(component.appid(), message.nonce());
        } catch (DataAccessException e) {
            // Redis is down; the nonce expires with its TTL, and WeChat's next push carries a new one.
            log.debug(
                    "nonce not released component={} error={}",
                    component.appid(),
                    e.getClass().getName());
        }
    }

    /**
     * Stores the pushed ticket as received when WeChat signed it ({@code sent}, never later than now). The nonces
     * of {@link ReplayGuard} live in Redis; the tickets live on the credentials topic too, so a push that is not
     * newer than the ticket held is a replay even after Redis lost its nonces (issue 14).
     */
    private void storeTicket(Component component, Instant sent, Map<String, String> fields) throws Refused {
        String ticket = field(fields, "ComponentVerifyTicket");
        Instant now = clock.instant();
        Instant receivedAt = sent.isBefore(now) ? sent : now;
        Optional<CredentialStored> held = vault.find(CredentialKind.COMPONENT_VERIFY_TICKET.keyFor(component.appid()));
        if (held.isPresent() && !held.get().receivedAt().isBefore(receivedAt)) {
            throw new Refused(
                    Rejection.REPLAYED_NONCE,
                    "the push is not newer than the ticket held (received "
                            + held.get().receivedAt() + ")");
        }
        CredentialStored credential = CredentialStored.of(
                CredentialKind.COMPONENT_VERIFY_TICKET,
                component.appid(),
                ticket,
                receivedAt,
                receivedAt.plus(TICKET_LIFETIME),
                CredentialSource.CALLBACK,
                instanceId);
        vault.store(credential);
        log.info(
                "verify ticket received component={} ticket={} expiresAt={}",
                component.appid(),
                credential.fingerprint(),
                credential.expiresAt());
    }

    private ResponseEntity<String> refuse(String componentAppid, Refused refused, HttpServletRequest request) {
        Rejection rejection = refused.rejection;
        Counter.builder("tokencast.callback.rejected")
                .tag("reason", rejection.reason())
                .description("Open platform callback pushes refused, by reason")
                .register(meters)
                .increment();
        // An unknown appid is attacker-chosen text: it is logged only when it looks like an appid.
        String component = componentAppid.matches("[A-Za-z0-9]{1,32}") ? componentAppid : "<invalid>";
        log.warn(
                "callback rejected component={} reason={} status={} detail={} remote={}",
                component,
                rejection.reason(),
                rejection.status().value(),
                refused.getMessage(),
                request.getRemoteAddr());
        return ResponseEntity.status(rejection.status())
                .contentType(MediaType.TEXT_PLAIN)
                .body("rejected: " + rejection.reason());
    }

    private byte[] body(HttpServletRequest request) throws Refused {
        if (request.getContentLengthLong() > maxBodyBytes) {
            throw new Refused(Rejection.TOO_LARGE, "Content-Length above " + maxBodyBytes + " bytes");
        }
        try (InputStream in = request.getInputStream()) {
            // One byte more than allowed tells a chunked body that is too large from one that fits exactly.
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 1, maxBodyBytes) + 1);
            if (body.length > maxBodyBytes) {
                throw new Refused(Rejection.TOO_LARGE, "body above " + maxBodyBytes + " bytes");
            }
            return body;
        } catch (IOException e) {
            throw new Refused(
                    Rejection.MALFORMED_XML,
                    "body could not be read: " + e.getClass().getName());
        }
    }

    private static Map<String, String> xml(byte[] bytes) throws Refused {
        try {
            return CallbackXml.parse(bytes);
        } catch (CallbackXml.UnreadableXml e) {
            throw new Refused(
                    e.problem() == CallbackXml.Problem.DOCTYPE ? Rejection.XML_DOCTYPE : Rejection.MALFORMED_XML,
                    e.getMessage());
        }
    }

    private static Map<String, String> query(String raw) throws Refused {
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
            throw new Refused(Rejection.BAD_PARAMETER, "query string is not URL-encoded");
        }
        return out;
    }

    private static String required(Map<String, String> query, String name) throws Refused {
        String value = query.get(name);
        if (value == null || value.isEmpty()) {
            throw new Refused(Rejection.MISSING_PARAMETER, name + " is missing");
        }
        return value;
    }

    private static String field(Map<String, String> fields, String name) throws Refused {
        String value = fields.get(name);
        if (value == null || value.isBlank()) {
            throw new Refused(Rejection.MALFORMED_MESSAGE, "the decrypted message has no " + name);
        }
        return value;
    }

    private static String known(String infoType) {
        return switch (infoType) {
            case "component_verify_ticket", "authorized", "updateauthorized", "unauthorized" -> infoType;
            default -> "other";
        };
    }
}
