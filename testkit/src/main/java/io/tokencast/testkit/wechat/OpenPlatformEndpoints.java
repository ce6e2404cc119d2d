package io.tokencast.testkit.wechat;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * The third-party platform endpoints: component token, authorizer token and start-push-ticket
 * (docs/wechat-api.md §5).
 */
final class OpenPlatformEndpoints {

    private static final String COMPONENT = "api_component_token";
    private static final String AUTHORIZER = "api_authorizer_token";

    private final SandboxState s;
    private final Consumer<String> pushSoon;

    OpenPlatformEndpoints(SandboxState state, Consumer<String> pushSoon) {
        this.s = state;
        this.pushSoon = pushSoon;
    }

    /** Needs a verify ticket the sandbox pushed within its lifetime; a new token per call, with overlap. */
    Reply componentToken(ApiCall call) {
        if (!call.isPost()) {
            return Reply.error(43002);
        }
        Optional<Reply> refused = checkComponent(call, "component_appsecret");
        if (refused.isPresent()) {
            return refused.get();
        }
        String appid = call.account;
        int ticket = s.verifyTickets.errcode(
                appid, call.field("component_verify_ticket"), call.now, s.settings.verifyTicketLifetime());
        if (ticket != 0) {
            return Reply.error(ticket);
        }
        if (!s.quotas.tryDaily(appid, COMPONENT, s.settings.componentDailyQuota(), call.now)) {
            return Reply.error(45009);
        }
        IssuedToken token = s.component.issue(appid, call.now, s.settings.tokenLifetime(), s.settings.overlap());
        call.issuedFingerprint = token.fingerprint();
        return Reply.ok(Reply.fields(
                "component_access_token",
                token.value,
                "expires_in",
                s.settings.tokenLifetime().toSeconds()));
    }

    /** Authorised by the component's token; the refresh token stays the same until re-authorisation. */
    Reply authorizerToken(ApiCall call) {
        if (!call.isPost()) {
            return Reply.error(43002);
        }
        String presented =
                Optional.ofNullable(call.param("component_access_token")).orElse(call.param("access_token"));
        SandboxState.TokenVerdict verdict = s.checkAccessToken(presented, call.now);
        call.presentedFingerprint = Secrets.fingerprint(presented);
        if (!verdict.ok()) {
            return Reply.error(verdict.errcode());
        }
        IssuedToken componentToken = verdict.token().orElseThrow();
        String componentAppid = call.field("component_appid");
        String authorizerAppid = call.field("authorizer_appid");
        if (componentToken.kind != MintedKind.COMPONENT_ACCESS_TOKEN) {
            return Reply.error(48001);
        }
        if (componentAppid == null || authorizerAppid == null) {
            return Reply.error(41002);
        }
        if (!componentToken.account.equals(componentAppid)) {
            return Reply.error(40013);
        }
        call.account = componentAppid + "." + authorizerAppid;
        OptionalInt injected = s.faults.errcodeFor(call.account);
        if (injected.isPresent()) {
            return Reply.error(injected.getAsInt());
        }
        Optional<Accounts.Authorizer> authorizer = s.accounts.authorizer(componentAppid, authorizerAppid);
        if (authorizer.isEmpty() || !authorizer.get().authorized) {
            return Reply.error(61003);
        }
        String refreshToken = call.field("authorizer_refresh_token");
        if (refreshToken == null || !refreshToken.equals(authorizer.get().refreshToken)) {
            return Reply.error(61023);
        }
        if (!s.quotas.tryDaily(call.account, AUTHORIZER, s.settings.authorizerDailyQuota(), call.now)) {
            return Reply.error(45009);
        }
        IssuedToken token =
                s.authorizer.issue(call.account, call.now, s.settings.tokenLifetime(), s.settings.overlap());
        call.issuedFingerprint = token.fingerprint();
        return Reply.ok(Reply.fields(
                "authorizer_access_token",
                token.value,
                "expires_in",
                s.settings.tokenLifetime().toSeconds(),
                "authorizer_refresh_token",
                refreshToken));
    }

    /** Asks for a ticket push now; the push itself happens asynchronously, as on WeChat. */
    Reply startPushTicket(ApiCall call) {
        if (!call.isPost()) {
            return Reply.error(43002);
        }
        Optional<Reply> refused = checkComponent(call, "component_secret");
        if (refused.isPresent()) {
            return refused.get();
        }
        pushSoon.accept(call.account);
        return Reply.okWithErrcode(Reply.fields());
    }

    private Optional<Reply> checkComponent(ApiCall call, String secretField) {
        String appid = call.field("component_appid");
        String secret = call.field(secretField);
        call.account = appid;
        call.presentedFingerprint = Secrets.fingerprint(secret);
        if (appid == null) {
            return Optional.of(Reply.error(41002));
        }
        if (secret == null) {
            return Optional.of(Reply.error(41004));
        }
        OptionalInt injected = s.faults.errcodeFor(appid);
        if (injected.isPresent()) {
            return Optional.of(Reply.error(injected.getAsInt()));
        }
        Optional<Accounts.Component> component = s.accounts.component(appid);
        if (component.isEmpty()) {
            // An official-account appid sent to a component endpoint is "invalid component", not "invalid appid".
            return Optional.of(Reply.error(s.accounts.app(appid).isPresent() ? 61011 : 40013));
        }
        if (!s.accounts.ipAllowed(appid, call.callerIp)) {
            return Optional.of(Reply.error(61004, "access clientip is not registered requestIP: " + call.callerIp));
        }
        if (!component.get().secret().equals(secret)) {
            return Optional.of(Reply.error(40125));
        }
        return Optional.empty();
    }
}
