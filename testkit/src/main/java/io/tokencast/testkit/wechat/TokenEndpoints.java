package io.tokencast.testkit.wechat;

import java.util.Optional;
import java.util.OptionalInt;

/** The AppSecret-based token endpoints: /cgi-bin/token, /cgi-bin/stable_token and WeCom's gettoken. */
final class TokenEndpoints {

    private static final String CLASSIC = "token";
    private static final String STABLE = "stable_token";
    private static final String STABLE_FORCE = "stable_token/force";

    private final SandboxState s;

    TokenEndpoints(SandboxState state) {
        this.s = state;
    }

    /**
     * GET /cgi-bin/token: a new token per call; the previous one lives on for the overlap
     * (docs/wechat-api.md §1.2).
     */
    Reply classic(ApiCall call) {
        Optional<Reply> refused = checkAppSecret(
                call,
                call.param("grant_type"),
                call.param("appid"),
                call.param("secret"),
                s.settings.classicDailyQuota());
        if (refused.isPresent()) {
            return refused.get();
        }
        IssuedToken token = s.classic.issue(call.account, call.now, s.settings.tokenLifetime(), s.settings.overlap());
        return issued(call, token, s.settings.tokenLifetime().toSeconds());
    }

    /** POST /cgi-bin/stable_token: its own pool, normal and force modes (docs/wechat-api.md §2.2). */
    Reply stable(ApiCall call) {
        if (!call.isPost() || call.jsonBody().isEmpty()) {
            return Reply.error(43002);
        }
        Optional<Reply> refused =
                checkAppSecret(call, call.field("grant_type"), call.field("appid"), call.field("secret"), -1);
        if (refused.isPresent()) {
            return refused.get();
        }
        String appid = call.account;
        if (!s.quotas.tryMinute(appid, STABLE, s.settings.stableMinuteQuota(), call.now)) {
            return Reply.error(45011);
        }
        if (!s.quotas.tryDaily(appid, STABLE, s.settings.stableDailyQuota(), call.now)) {
            return Reply.error(45009);
        }
        IssuedToken token;
        if (call.booleanField("force_refresh")
                && s.stable.forceWouldRefresh(appid, call.now, s.settings.stableForceSpacing())) {
            if (!s.quotas.tryDaily(appid, STABLE_FORCE, s.settings.stableForceDailyQuota(), call.now)) {
                return Reply.error(45009);
            }
            token = s.stable.force(appid, call.now, s.settings);
        } else {
            token = s.stable.normal(appid, call.now, s.settings);
        }
        return issued(call, token, token.remainingSeconds(call.now));
    }

    /**
     * GET /cgi-bin/gettoken (qyapi): the same token while it is valid, errcode 0 in the body
     * (docs/wechat-api.md §4.2).
     */
    Reply wecom(ApiCall call) {
        String corpid = call.param("corpid");
        String secret = call.param("corpsecret");
        call.account = corpid;
        call.presentedFingerprint = Secrets.fingerprint(secret);
        if (corpid == null || secret == null) {
            return Reply.wecomError(corpid == null ? 41002 : 41004, call.callerIp);
        }
        Optional<Accounts.WeComApp> app = s.accounts.wecomApp(corpid, secret);
        if (app.isEmpty()) {
            return Reply.wecomError(s.accounts.isWeComCorp(corpid) ? 40001 : 40013, call.callerIp);
        }
        call.account = app.get().account();
        OptionalInt injected = s.faults.errcodeFor(call.account);
        if (injected.isPresent()) {
            return Reply.wecomError(injected.getAsInt(), call.callerIp);
        }
        IssuedToken token = s.wecom.get(call.account, call.now, s.settings.tokenLifetime());
        call.issuedFingerprint = token.fingerprint();
        return Reply.okWithErrcode(
                Reply.fields("access_token", token.value, "expires_in", token.remainingSeconds(call.now)));
    }

    /**
     * The checks both MP token endpoints share, in the order a caller meets them; also consumes the daily
     * quota when {@code dailyQuota >= 0}. Sets the call's account and secret fingerprint for the log.
     */
    private Optional<Reply> checkAppSecret(
            ApiCall call, String grantType, String appid, String secret, int dailyQuota) {
        call.account = appid;
        call.presentedFingerprint = Secrets.fingerprint(secret);
        if (appid == null) {
            return Optional.of(Reply.error(41002));
        }
        if (secret == null) {
            return Optional.of(Reply.error(41004));
        }
        if (!"client_credential".equals(grantType)) {
            return Optional.of(Reply.error(40002));
        }
        OptionalInt injected = s.faults.errcodeFor(appid);
        if (injected.isPresent()) {
            return Optional.of(Reply.error(injected.getAsInt()));
        }
        Optional<Accounts.App> app = s.accounts.app(appid);
        if (app.isEmpty()) {
            return Optional.of(Reply.error(40013));
        }
        if (!s.accounts.ipAllowed(appid, call.callerIp)) {
            return Optional.of(Reply.ipNotWhitelisted(call.callerIp));
        }
        if (!app.get().secret().equals(secret)) {
            return Optional.of(Reply.error(40125));
        }
        OptionalInt confirmation = s.faults.adminConfirmationFor(appid, call.now);
        if (confirmation.isPresent()) {
            return Optional.of(Reply.error(confirmation.getAsInt()));
        }
        if (dailyQuota >= 0 && !s.quotas.tryDaily(appid, CLASSIC, dailyQuota, call.now)) {
            return Optional.of(Reply.error(45009));
        }
        return Optional.empty();
    }

    private static Reply issued(ApiCall call, IssuedToken token, long expiresIn) {
        call.issuedFingerprint = token.fingerprint();
        return Reply.ok(Reply.fields("access_token", token.value, "expires_in", expiresIn));
    }
}
