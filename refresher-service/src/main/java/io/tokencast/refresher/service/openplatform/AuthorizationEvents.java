package io.tokencast.refresher.service.openplatform;

import io.tokencast.refresher.store.TokenStore;
import io.tokencast.refresher.wechat.ErrorCodes;
import io.tokencast.refresher.wechat.WeChatException;
import io.tokencast.refresher.wechat.WeChatException.Retry;
import io.tokencast.refresher.wechat.WeChatTransport;
import io.tokencast.schema.CredentialSource;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.trust.encryption.RecordEncryption;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Acts on the authorization events pushed to the callback: {@code authorized} and {@code updateauthorized}
 * carry an authorization code, exchanged with {@code api_query_auth} for the authorizer's refresh token,
 * which registers the authorizer; {@code unauthorized} retires it.
 */
final class AuthorizationEvents {

    static final String QUERY_AUTH = "/cgi-bin/component/api_query_auth";

    private final Authorizers authorizers;
    private final TokenStore tokens;
    private final RecordEncryption encryption;
    private final WeChatTransport http;
    private final Clock clock;

    AuthorizationEvents(
            Authorizers authorizers,
            TokenStore tokens,
            RecordEncryption encryption,
            WeChatTransport http,
            Clock clock) {
        this.authorizers = authorizers;
        this.tokens = tokens;
        this.encryption = encryption;
        this.http = http;
        this.clock = clock;
    }

    /**
     * Exchanges the event's authorization code and registers the authorizer.
     *
     * @throws WeChatException when the code cannot be exchanged now (the callback then asks WeChat to retry)
     */
    void authorized(Component component, String authorizerAppid, String authorizationCode) {
        String what = "exchanging the authorization code of " + Authorizers.account(component.appid(), authorizerAppid);
        Instant now = clock.instant();
        TokenKey componentKey = TokenKey.of(TokenKind.WECHAT_COMPONENT_ACCESS_TOKEN, component.appid());
        TokenRefreshed componentToken = tokens.read(componentKey)
                .current()
                .filter(t -> t.expiresAt().isAfter(now))
                .map(encryption::revealed)
                .orElseThrow(() -> new WeChatException(
                        "COMPONENT_TOKEN_UNAVAILABLE",
                        Retry.BACKOFF,
                        what + " waits: " + componentKey + " has no valid token"));
        JsonNode body = http.post(
                what,
                QUERY_AUTH,
                Map.of("component_access_token", componentToken.token()),
                WeChatTransport.body()
                        .put("component_appid", component.appid())
                        .put("authorization_code", authorizationCode));
        int errcode = WeChatTransport.errcode(body, what);
        if (errcode != 0) {
            throw ErrorCodes.failure(what, errcode, ErrorCodes.Call.OPEN_PLATFORM);
        }
        JsonNode info = body.path("authorization_info");
        String appid = WeChatTransport.text(info, "authorizer_appid", what);
        if (!appid.equals(authorizerAppid)) {
            throw new WeChatException(
                    "BAD_RESPONSE", Retry.STOP, what + " failed: WeChat answered for another authorizer, " + appid);
        }
        String refreshToken = WeChatTransport.text(info, "authorizer_refresh_token", what);
        authorizers.register(component.appid(), authorizerAppid, refreshToken, CredentialSource.WECHAT_RESPONSE);
    }

    void unauthorized(Component component, String authorizerAppid) {
        authorizers.unauthorized(component.appid(), authorizerAppid);
    }
}
