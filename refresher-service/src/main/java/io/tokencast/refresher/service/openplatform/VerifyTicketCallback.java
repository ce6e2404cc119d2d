package io.tokencast.refresher.service.openplatform;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tokencast.refresher.service.config.TokencastProperties;
import io.tokencast.refresher.wechat.WeChatException;
import io.tokencast.schema.CredentialKind;
import io.tokencast.schema.CredentialSource;
import io.tokencast.schema.CredentialStored;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
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
 * Checks that the component is served here, has {@link CallbackAuthentication} prove the push comes from WeChat,
 * then stores a {@code component_verify_ticket} in the {@link CredentialVault} or acts on an authorization
 * event, and answers {@code success}. Each refusal answers the status of its {@link Rejection}, stores nothing
 * and counts {@code tokencast.callback.rejected{reason}}.
 */
@RestController
final class VerifyTicketCallback {

    private static final Logger log = LoggerFactory.getLogger(VerifyTicketCallback.class);
    private static final Duration TICKET_LIFETIME = Duration.ofHours(12);

    private final Components components;
    private final ReplayGuard replays;
    private final CredentialVault vault;
    private final AuthorizationEvents authorizations;
    private final MeterRegistry meters;
    private final Clock clock;
    private final String instanceId;
    private final CallbackAuthentication authentication;

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
        this.instanceId = tokencast.instanceId();
        this.authentication = new CallbackAuthentication(
                replays,
                clock,
                properties.callback().maxBodySize().toBytes(),
                properties.callback().replayWindow());
    }

    @PostMapping(path = "/wechat/open-platform/{componentAppid}/callback", produces = MediaType.TEXT_PLAIN_VALUE)
    ResponseEntity<String> receive(@PathVariable String componentAppid, HttpServletRequest request) {
        try {
            Component component = components
                    .find(componentAppid)
                    .orElseThrow(
                            () -> new CallbackRefused(Rejection.UNKNOWN_COMPONENT, "not in tokencast.open-platform"));
            return accept(component, authentication.authenticate(component, request));
        } catch (CallbackRefused refused) {
            return refuse(componentAppid, refused, request);
        }
    }

    private ResponseEntity<String> accept(Component component, CallbackAuthentication.Push message)
            throws CallbackRefused {
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
        } catch (CallbackRefused refused) {
            replays.release(component.appid(), message.nonce());
            throw refused;
        } catch (CredentialVaultException | WeChatException e) {
            // Not stored: forget the nonce, so the push WeChat repeats after a non-success answer is taken.
            replays.release(component.appid(), message.nonce());
            throw new CallbackRefused(Rejection.STORE_FAILED, e.getMessage());
        } catch (DataAccessException e) {
            releaseQuietly(component, message);
            throw new CallbackRefused(
                    Rejection.STORE_FAILED, "redis failed: " + e.getClass().getName());
        }
        meters.counter("tokencast.callback.accepted", "infoType", known(infoType))
                .increment();
        return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body("success");
    }

    private void releaseQuietly(Component component, CallbackAuthentication.Push message) {
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
    private void storeTicket(Component component, Instant sent, Map<String, String> fields) throws CallbackRefused {
        String ticket = field(fields, "ComponentVerifyTicket");
        Instant now = clock.instant();
        Instant receivedAt = sent.isBefore(now) ? sent : now;
        Optional<CredentialStored> held = vault.find(CredentialKind.COMPONENT_VERIFY_TICKET.keyFor(component.appid()));
        if (held.isPresent() && !held.get().receivedAt().isBefore(receivedAt)) {
            throw new CallbackRefused(
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

    private ResponseEntity<String> refuse(String componentAppid, CallbackRefused refused, HttpServletRequest request) {
        Rejection rejection = refused.rejection();
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

    private static String field(Map<String, String> fields, String name) throws CallbackRefused {
        String value = fields.get(name);
        if (value == null || value.isBlank()) {
            throw new CallbackRefused(Rejection.MALFORMED_MESSAGE, "the decrypted message has no " + name);
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
