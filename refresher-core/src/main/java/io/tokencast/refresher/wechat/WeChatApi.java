package io.tokencast.refresher.wechat;

/** The WeChat endpoint family a credential is fetched from; it decides lifetime semantics and quotas. */
public enum WeChatApi {
    /** {@code POST /cgi-bin/stable_token}: same token while valid, rotates in the last 300 s. */
    STABLE,
    /** {@code GET /cgi-bin/token}: a new token per call; the previous one lives 300 s more. */
    CLASSIC,
    /** {@code GET qyapi /cgi-bin/gettoken}: same token while valid; may be invalidated early. */
    WECOM,
    /** {@code POST /cgi-bin/component/api_component_token}: a new token per call, with the verify ticket. */
    COMPONENT,
    /** {@code POST /cgi-bin/component/api_authorizer_token}: a new token per call, with the stored refresh token. */
    AUTHORIZER,
    /** {@code GET /cgi-bin/ticket/getticket?type=jsapi} with the app's token: same ticket while valid. */
    JSAPI_TICKET,
    /** {@code GET /cgi-bin/ticket/getticket?type=wx_card} with the app's token: same ticket while valid. */
    CARD_TICKET,
    /** {@code GET qyapi /cgi-bin/get_jsapi_ticket} with a token of one of the corp's apps: the corp's ticket. */
    WECOM_JSAPI_TICKET,
    /** {@code GET qyapi /cgi-bin/ticket/get?type=agent_config} with the app's token: the app's ticket. */
    WECOM_AGENT_TICKET;

    /** Whether fetching needs a configured secret; authorizers and tickets ask with other credentials. */
    public boolean needsSecret() {
        return this != AUTHORIZER && !isTicket();
    }

    /** Whether this is a ticket, fetched with an access token this refresher keeps fresh too. */
    public boolean isTicket() {
        return this == JSAPI_TICKET || this == CARD_TICKET || this == WECOM_JSAPI_TICKET || this == WECOM_AGENT_TICKET;
    }
}
