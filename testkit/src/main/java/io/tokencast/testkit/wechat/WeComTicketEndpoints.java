package io.tokencast.testkit.wechat;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * WeCom's JS-SDK tickets (docs/wechat-api.md §6.2): the corp's, {@code GET /cgi-bin/get_jsapi_ticket}, and an
 * app's, {@code GET /cgi-bin/ticket/get?type=agent_config}, each taking a WeCom access token: missing 41001,
 * unknown, not WeCom's or invalidated 40014, expired 42001. At most {@code wecomTicketHourlyPerCorp} calls per
 * corp and clock hour and {@code wecomTicketHourlyPerApp} with one app's token, then 45009. A ticket is handed
 * out again while valid; in its last {@code overlap} (like a stable token, the refresher's window) the next one
 * is minted, and the old one works to its end. {@code expires_in} is the returned ticket's remaining life, as WeCom
 * says to trust it ("具体过期时间需要参考接口返回的 expires_in"); whether WeCom repeats tickets is UNCONFIRMED.
 */
final class WeComTicketEndpoints {

    private static final String COUNTER = "wecom_ticket";

    private final SandboxState s;

    WeComTicketEndpoints(SandboxState state) {
        this.s = state;
    }

    /** GET /cgi-bin/get_jsapi_ticket: the ticket of the corp whose app's token is presented. */
    Reply corpTicket(ApiCall call) {
        return ticket(call, true);
    }

    /** GET /cgi-bin/ticket/get?type=agent_config: the ticket of the app whose token is presented. */
    Reply agentTicket(ApiCall call) {
        return ticket(call, false);
    }

    private Reply ticket(ApiCall call, boolean corp) {
        String presented = call.param("access_token");
        call.presentedFingerprint = Secrets.fingerprint(presented);
        if (presented == null) {
            return Reply.wecomError(41001, call.callerIp);
        }
        Optional<IssuedToken> token = s.tokens.find(presented).filter(t -> t.kind == MintedKind.WECOM_ACCESS_TOKEN);
        if (token.isEmpty()) {
            return Reply.wecomError(40014, call.callerIp);
        }
        String app = token.get().account;
        String corpid = app.substring(0, app.indexOf('.'));
        call.account = corp ? corpid : app;
        int verdict = token.get().errcodeAt(call.now);
        if (verdict != 0) {
            // An invalidated WeCom token is "invalid access_token" to every API that takes one.
            return Reply.wecomError(verdict == 42001 ? 42001 : 40014, call.callerIp);
        }
        if (!corp && !"agent_config".equals(call.param("type"))) {
            return Reply.wecomError(40097, call.callerIp);
        }
        OptionalInt injected = s.faults.errcodeFor(call.account);
        if (injected.isPresent()) {
            return Reply.wecomError(injected.getAsInt(), call.callerIp);
        }
        if (!withinHourlyLimits(corpid, app, call)) {
            return Reply.wecomError(45009, call.callerIp);
        }
        ReusingPool pool = corp ? s.wecomJsapiTickets : s.wecomAgentTickets;
        IssuedToken ticket = pool.get(call.account, call.now, s.settings.ticketLifetime(), s.settings.overlap());
        call.issuedFingerprint = ticket.fingerprint();
        return Reply.okWithErrcode(
                Reply.fields("ticket", ticket.value, "expires_in", ticket.remainingSeconds(call.now)));
    }

    /** Counts the call against the corp's hour and the app's, or against neither when either is spent. */
    private boolean withinHourlyLimits(String corpid, String app, ApiCall call) {
        if (s.quotas.usedThisHour(corpid, COUNTER, call.now) >= s.settings.wecomTicketHourlyPerCorp()
                || s.quotas.usedThisHour(app, COUNTER, call.now) >= s.settings.wecomTicketHourlyPerApp()) {
            return false;
        }
        s.quotas.tryHourly(corpid, COUNTER, s.settings.wecomTicketHourlyPerCorp(), call.now);
        s.quotas.tryHourly(app, COUNTER, s.settings.wecomTicketHourlyPerApp(), call.now);
        return true;
    }
}
