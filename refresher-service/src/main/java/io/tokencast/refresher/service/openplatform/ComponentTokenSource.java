package io.tokencast.refresher.service.openplatform;

import io.tokencast.refresher.wechat.CredentialSource;
import io.tokencast.refresher.wechat.ErrorCodes;
import io.tokencast.refresher.wechat.FetchMode;
import io.tokencast.refresher.wechat.FetchedToken;
import io.tokencast.refresher.wechat.ManagedCredential;
import io.tokencast.refresher.wechat.WeChatException;
import io.tokencast.refresher.wechat.WeChatException.Retry;
import io.tokencast.refresher.wechat.WeChatTransport;
import io.tokencast.schema.CredentialKind;
import io.tokencast.schema.CredentialStored;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Fetches {@code wechat-component-access-token/<componentAppid>} with {@code api_component_token} and the
 * newest verify ticket from the {@link CredentialVault}, whichever replica received it. Without a usable
 * ticket (none, older than the maximum age, or refused with 61005/61006) it asks WeChat to push one
 * (rate-limited across replicas) and fails with {@link Retry#BACKOFF}.
 */
final class ComponentTokenSource implements CredentialSource {

    private static final Logger log = LoggerFactory.getLogger(ComponentTokenSource.class);
    static final String PATH = "/cgi-bin/component/api_component_token";

    private final Components components;
    private final CredentialVault vault;
    private final TicketPushRequests pushes;
    private final WeChatTransport http;
    private final Clock clock;
    private final Duration ticketMaxAge;

    ComponentTokenSource(
            Components components,
            CredentialVault vault,
            TicketPushRequests pushes,
            WeChatTransport http,
            Clock clock,
            Duration ticketMaxAge) {
        this.components = components;
        this.vault = vault;
        this.pushes = pushes;
        this.http = http;
        this.clock = clock;
        this.ticketMaxAge = ticketMaxAge;
    }

    @Override
    public FetchedToken fetch(ManagedCredential credential, FetchMode mode) {
        String appid = credential.key().account();
        String what = "fetching " + credential.key();
        Component component = components
                .find(appid)
                .orElseThrow(() -> new WeChatException(
                        "UNKNOWN_COMPONENT",
                        Retry.STOP,
                        what + " failed: component " + appid + " is not in tokencast.open-platform.components"));
        Instant now = clock.instant();
        Optional<CredentialStored> ticket =
                vault.find(CredentialKind.COMPONENT_VERIFY_TICKET.keyFor(appid)).filter(t -> usable(t, now));
        if (ticket.isEmpty()) {
            pushes.request(component, "no-usable-ticket");
            throw new WeChatException(
                    "NO_VERIFY_TICKET",
                    Retry.BACKOFF,
                    what + " failed: no component_verify_ticket younger than " + ticketMaxAge
                            + " has been received; WeChat was asked to push one to"
                            + " /wechat/open-platform/" + appid + "/callback");
        }
        JsonNode body = http.post(
                what,
                PATH,
                Map.of(),
                WeChatTransport.body()
                        .put("component_appid", appid)
                        .put("component_appsecret", component.secret())
                        .put("component_verify_ticket", ticket.get().value()));
        int errcode = WeChatTransport.errcode(body, what);
        if (errcode == ErrorCodes.TICKET_EXPIRED || errcode == ErrorCodes.TICKET_INVALID) {
            log.warn(
                    "verify ticket refused component={} errcode={} ticket={} receivedAt={} action=request-push",
                    appid,
                    errcode,
                    ticket.get().fingerprint(),
                    ticket.get().receivedAt());
            pushes.request(component, "errcode-" + errcode);
        }
        if (errcode != 0) {
            throw ErrorCodes.failure(what, errcode, ErrorCodes.Call.OPEN_PLATFORM);
        }
        return new FetchedToken(
                WeChatTransport.text(body, "component_access_token", what), WeChatTransport.expiresIn(body, what), now);
    }

    private boolean usable(CredentialStored ticket, Instant now) {
        boolean young = ticket.receivedAt().plus(ticketMaxAge).isAfter(now);
        boolean unexpired = ticket.expiresAt() == null || ticket.expiresAt().isAfter(now);
        return young && unexpired && ticket.value() != null;
    }
}
