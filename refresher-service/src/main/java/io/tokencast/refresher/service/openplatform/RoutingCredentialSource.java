package io.tokencast.refresher.service.openplatform;

import io.tokencast.refresher.wechat.CredentialSource;
import io.tokencast.refresher.wechat.FetchMode;
import io.tokencast.refresher.wechat.FetchedToken;
import io.tokencast.refresher.wechat.ManagedCredential;
import io.tokencast.schema.TokenKind;

/**
 * The refresher's one {@link CredentialSource}: open platform tokens and tickets go to their sources here,
 * everything else to the HTTP client of official-account and WeCom tokens.
 */
final class RoutingCredentialSource implements CredentialSource {

    private final CredentialSource accessTokens;
    private final CredentialSource componentTokens;
    private final CredentialSource authorizerTokens;
    private final CredentialSource tickets;

    RoutingCredentialSource(
            CredentialSource accessTokens,
            CredentialSource componentTokens,
            CredentialSource authorizerTokens,
            CredentialSource tickets) {
        this.accessTokens = accessTokens;
        this.componentTokens = componentTokens;
        this.authorizerTokens = authorizerTokens;
        this.tickets = tickets;
    }

    @Override
    public FetchedToken fetch(ManagedCredential credential, FetchMode mode) {
        return route(credential.key().kind()).fetch(credential, mode);
    }

    private CredentialSource route(TokenKind kind) {
        return switch (kind) {
            case WECHAT_COMPONENT_ACCESS_TOKEN -> componentTokens;
            case WECHAT_AUTHORIZER_ACCESS_TOKEN -> authorizerTokens;
            case WECHAT_JSAPI_TICKET, WECHAT_CARD_TICKET, WECOM_JSAPI_TICKET, WECOM_AGENT_JSAPI_TICKET -> tickets;
            case WECHAT_ACCESS_TOKEN, WECOM_ACCESS_TOKEN -> accessTokens;
        };
    }
}
