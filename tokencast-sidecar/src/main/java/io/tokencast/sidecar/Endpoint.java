package io.tokencast.sidecar;

/** What the sidecar serves; the metric tag {@code endpoint}, so its cardinality is this enum's size. */
enum Endpoint {
    TOKEN_GET,
    TOKEN_INVALID,
    WECHAT_TOKEN,
    WECHAT_STABLE_TOKEN,
    WECOM_GETTOKEN,
    WECHAT_TICKET,
    WECOM_JSAPI_TICKET,
    WECOM_AGENT_TICKET,
    COMPONENT_TOKEN,
    AUTHORIZER_TOKEN,
    HEALTH,
    METRICS,
    /** A WeChat API call the gateway forwards (or refuses); its own metrics are per path template. */
    GATEWAY,
    NOT_FOUND;

    /** The endpoint for a path below any WeCom agent prefix; {@link #NOT_FOUND} for anything else. */
    static Endpoint of(String path) {
        if (path.startsWith("/v1/tokens/")) {
            return path.endsWith("/invalid") ? TOKEN_INVALID : TOKEN_GET;
        }
        return switch (path) {
            case "/cgi-bin/token" -> WECHAT_TOKEN;
            case "/cgi-bin/stable_token" -> WECHAT_STABLE_TOKEN;
            case "/cgi-bin/gettoken" -> WECOM_GETTOKEN;
            case "/cgi-bin/ticket/getticket" -> WECHAT_TICKET;
            case "/cgi-bin/get_jsapi_ticket" -> WECOM_JSAPI_TICKET;
            case "/cgi-bin/ticket/get" -> WECOM_AGENT_TICKET;
            case "/cgi-bin/component/api_component_token" -> COMPONENT_TOKEN;
            case "/cgi-bin/component/api_authorizer_token" -> AUTHORIZER_TOKEN;
            case "/health/live", "/health/ready" -> HEALTH;
            case "/metrics" -> METRICS;
            default -> NOT_FOUND;
        };
    }

    boolean isWeChatShaped() {
        return this != TOKEN_GET && this != TOKEN_INVALID && this != HEALTH && this != METRICS && this != NOT_FOUND;
    }
}
