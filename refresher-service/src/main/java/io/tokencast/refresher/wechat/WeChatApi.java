package io.tokencast.refresher.wechat;

/** The WeChat endpoint family a credential is fetched from; it decides lifetime semantics and quotas. */
public enum WeChatApi {
    /** {@code POST /cgi-bin/stable_token}: same token while valid, rotates in the last 300 s. */
    STABLE,
    /** {@code GET /cgi-bin/token}: a new token per call; the previous one lives 300 s more. */
    CLASSIC,
    /** {@code GET qyapi /cgi-bin/gettoken}: same token while valid; may be invalidated early. */
    WECOM
}
