package io.tokencast.testkit.wechat;

/**
 * What a string minted by the sandbox is; tokens of different kinds never replace one another. Not the schema's
 * {@code CredentialKind}, which names what the refresher stores durably.
 */
enum MintedKind {
    CLASSIC_ACCESS_TOKEN,
    STABLE_ACCESS_TOKEN,
    WECOM_ACCESS_TOKEN,
    COMPONENT_ACCESS_TOKEN,
    AUTHORIZER_ACCESS_TOKEN,
    JSAPI_TICKET,
    CARD_TICKET,
    WECOM_JSAPI_TICKET,
    WECOM_AGENT_TICKET;

    boolean isWeCom() {
        return this == WECOM_ACCESS_TOKEN;
    }

    /** Tickets are no access tokens: no API takes one as {@code access_token}. */
    boolean isTicket() {
        return this == JSAPI_TICKET || this == CARD_TICKET || this == WECOM_JSAPI_TICKET || this == WECOM_AGENT_TICKET;
    }
}
