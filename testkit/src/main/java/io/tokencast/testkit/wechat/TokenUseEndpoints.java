package io.tokencast.testkit.wechat;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Endpoints that take an access token: getticket, clear_quota and the getcallbackip probe. */
final class TokenUseEndpoints {

    private static final List<String> CALLBACK_IPS = List.of("101.226.103.0/25", "101.226.233.128/25");
    private static final String CLEAR_QUOTA = Quotas.CLEAR_QUOTA;

    private final SandboxState s;

    TokenUseEndpoints(SandboxState state) {
        this.s = state;
    }

    /**
     * GET /cgi-bin/getcallbackip: a business API whose only job here is to judge the token — 0 valid,
     * 41001 missing, 40001 unknown or superseded, 42001 expired. Accepts every kind of access token.
     */
    Reply callbackIp(ApiCall call) {
        String presented = call.param("access_token");
        SandboxState.TokenVerdict verdict = s.checkAccessToken(presented, call.now);
        call.presentedFingerprint = Secrets.fingerprint(presented);
        call.account = verdict.token().map(t -> t.account).orElse(null);
        boolean wecom = verdict.token().map(t -> t.kind.isWeCom()).orElse(false);
        OptionalInt injected = s.faults.errcodeFor(call.account);
        int errcode = injected.orElse(verdict.errcode());
        if (errcode != 0) {
            return wecom ? Reply.wecomError(errcode, call.callerIp) : Reply.error(errcode);
        }
        return wecom
                ? Reply.okWithErrcode(Reply.fields("ip_list", CALLBACK_IPS))
                : Reply.ok(Reply.fields("ip_list", CALLBACK_IPS));
    }

    /**
     * GET /cgi-bin/ticket/getticket: the same ticket while valid, expires_in always the full lifetime
     * (docs/wechat-api.md §6.1).
     */
    Reply ticket(ApiCall call) {
        String presented = call.param("access_token");
        SandboxState.TokenVerdict verdict = s.checkAccessToken(presented, call.now);
        call.presentedFingerprint = Secrets.fingerprint(presented);
        if (!verdict.ok()) {
            return Reply.error(verdict.errcode());
        }
        IssuedToken token = verdict.token().orElseThrow();
        call.account = token.account;
        if (token.kind != MintedKind.CLASSIC_ACCESS_TOKEN
                && token.kind != MintedKind.STABLE_ACCESS_TOKEN
                && token.kind != MintedKind.AUTHORIZER_ACCESS_TOKEN) {
            return Reply.error(48001);
        }
        OptionalInt injected = s.faults.errcodeFor(call.account);
        if (injected.isPresent()) {
            return Reply.error(injected.getAsInt());
        }
        String type = call.param("type");
        ReusingPool pool = "jsapi".equals(type) ? s.jsapiTickets : "wx_card".equals(type) ? s.cardTickets : null;
        if (pool == null) {
            return Reply.error(40097);
        }
        IssuedToken ticket = pool.get(call.account, call.now, s.settings.ticketLifetime());
        call.issuedFingerprint = ticket.fingerprint();
        return Reply.okWithErrcode(Reply.fields(
                "ticket",
                ticket.value,
                "expires_in",
                s.settings.ticketLifetime().toSeconds()));
    }

    /** POST /cgi-bin/clear_quota?access_token=: resets the account's counters; 10 per month (docs/wechat-api.md §3). */
    Reply clearQuota(ApiCall call) {
        if (!call.isPost()) {
            return Reply.error(43002);
        }
        String presented = call.param("access_token");
        SandboxState.TokenVerdict verdict = s.checkAccessToken(presented, call.now);
        call.presentedFingerprint = Secrets.fingerprint(presented);
        if (!verdict.ok()) {
            return Reply.error(verdict.errcode());
        }
        String appid = call.field("appid");
        call.account = appid;
        if (appid == null) {
            return Reply.error(41002);
        }
        IssuedToken token = verdict.token().orElseThrow();
        if (!token.account.equals(appid) && !token.account.endsWith("." + appid)) {
            return Reply.error(48001);
        }
        return clear(call, token.account);
    }

    /** POST /cgi-bin/clear_quota/v2: the same with the AppSecret, for when no token is left. */
    Reply clearQuotaWithSecret(ApiCall call) {
        if (!call.isPost()) {
            return Reply.error(43002);
        }
        String appid = Optional.ofNullable(call.field("appid")).orElse(call.param("appid"));
        String secret = Optional.ofNullable(call.field("appsecret")).orElse(call.param("appsecret"));
        call.account = appid;
        call.presentedFingerprint = Secrets.fingerprint(secret);
        if (appid == null) {
            return Reply.error(41002);
        }
        if (secret == null) {
            return Reply.error(41004);
        }
        Optional<Accounts.App> app = s.accounts.app(appid);
        if (app.isEmpty()) {
            return Reply.error(40013);
        }
        if (!app.get().secret().equals(secret)) {
            return Reply.error(40125);
        }
        return clear(call, appid);
    }

    private Reply clear(ApiCall call, String account) {
        OptionalInt injected = s.faults.errcodeFor(account);
        if (injected.isPresent()) {
            return Reply.error(injected.getAsInt());
        }
        if (!s.quotas.tryMonthly(account, CLEAR_QUOTA, s.settings.clearQuotaMonthly(), call.now)) {
            return Reply.error(48006);
        }
        s.quotas.clear(account);
        return Reply.okWithErrcode(Reply.fields());
    }
}
