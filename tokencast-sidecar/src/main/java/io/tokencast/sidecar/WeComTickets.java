package io.tokencast.sidecar;

import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import java.util.Optional;

/**
 * WeCom's ticket endpoints, answered from the view in plain and gateway mode alike, never forwarded
 * (docs/design.md §5.6): {@code GET /cgi-bin/get_jsapi_ticket?access_token=…} serves
 * {@code wecom-jsapi-ticket/<corpid>} and {@code GET /cgi-bin/ticket/get?access_token=…&type=agent_config} serves
 * {@code wecom-agent-jsapi-ticket/<corpid.agentid>}. The access token names the app, as it does to WeCom: a token
 * tokencast distributed for {@code wecom-access-token/<corpid.agentid>}, or in gateway mode a handle for it; below
 * an agent's path prefix it must be that agent's. Tickets are always real (services sign pages with them) and
 * their {@code expires_in} follows the sidecar's rule ({@link Lookup.Served#expiresIn}).
 */
final class WeComTickets {

    private final TokenLookup lookup;
    private final PresentedCredentials presented;

    WeComTickets(TokenLookup lookup, PresentedCredentials presented) {
        this.lookup = lookup;
        this.presented = presented;
    }

    /** {@code GET /cgi-bin/get_jsapi_ticket}: the ticket of the corp whose app's token is presented. */
    Answer corpTicket(HttpCall call) {
        return ticket(call, TokenKind.WECOM_JSAPI_TICKET);
    }

    /** {@code GET /cgi-bin/ticket/get?type=agent_config}: the ticket of the app whose token is presented. */
    Answer agentTicket(HttpCall call) {
        if (call.isGet() && call.param("access_token") != null && !"agent_config".equals(call.param("type"))) {
            return WeChatReplies.error(40097, "type must be agent_config");
        }
        return ticket(call, TokenKind.WECOM_AGENT_JSAPI_TICKET);
    }

    private Answer ticket(HttpCall call, TokenKind kind) {
        if (!call.isGet()) {
            return WeChatReplies.error(43001, null);
        }
        String token = call.param("access_token");
        if (token == null) {
            return WeChatReplies.error(41001, null);
        }
        PresentedCredentials.Resolution resolution = presented.resolve(token);
        if (resolution instanceof PresentedCredentials.Resolution.Refused r) {
            return WeChatReplies.error(r.errcode(), r.why());
        }
        if (!(resolution instanceof PresentedCredentials.Resolution.Key resolved)) {
            return WeChatReplies.error(40014, "this access_token was not handed out by tokencast");
        }
        TokenKey app = resolved.key();
        if (app.kind() != TokenKind.WECOM_ACCESS_TOKEN) {
            return WeChatReplies.error(40014, "a " + app.kind() + " is no WeCom app's token");
        }
        Optional<WeComAgent> agent = call.agent();
        if (agent.isPresent() && !agent.get().key().equals(app)) {
            return WeChatReplies.error(
                    40014, "this path prefix serves " + agent.get().key() + ", not " + app);
        }
        String account = kind == TokenKind.WECOM_JSAPI_TICKET
                ? app.account().substring(0, app.account().indexOf('.'))
                : app.account();
        TokenKey ticket = TokenKey.of(kind, account);
        Lookup found = lookup.find(ticket);
        if (found instanceof Lookup.Served served) {
            return WeChatReplies.okWithErrcode(
                    Json.fields("ticket", served.token().value(), "expires_in", served.expiresIn(lookup.now())));
        }
        return WeChatReplies.unservable((Lookup.Unservable) found, 40013);
    }
}
