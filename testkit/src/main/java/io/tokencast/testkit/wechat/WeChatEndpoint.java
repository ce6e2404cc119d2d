package io.tokencast.testkit.wechat;

import java.util.Arrays;

/** The WeChat API endpoints the sandbox serves, by path (api.weixin.qq.com and qyapi.weixin.qq.com alike). */
public enum WeChatEndpoint {
    TOKEN("/cgi-bin/token"),
    STABLE_TOKEN("/cgi-bin/stable_token"),
    WECOM_GETTOKEN("/cgi-bin/gettoken"),
    COMPONENT_TOKEN("/cgi-bin/component/api_component_token"),
    AUTHORIZER_TOKEN("/cgi-bin/component/api_authorizer_token"),
    START_PUSH_TICKET("/cgi-bin/component/api_start_push_ticket"),
    GET_TICKET("/cgi-bin/ticket/getticket"),
    /** WeCom: the corp's JS-SDK ticket (takes a WeCom access token). */
    WECOM_GET_JSAPI_TICKET("/cgi-bin/get_jsapi_ticket"),
    /** WeCom: an app's JS-SDK ticket, {@code type=agent_config} (takes the app's WeCom access token). */
    WECOM_AGENT_TICKET("/cgi-bin/ticket/get"),
    CLEAR_QUOTA("/cgi-bin/clear_quota"),
    CLEAR_QUOTA_V2("/cgi-bin/clear_quota/v2"),
    GET_CALLBACK_IP("/cgi-bin/getcallbackip"),
    /** Mini-program business API: a user's unionid (takes an access token). */
    WXA_GET_PAID_UNIONID("/wxa/getpaidunionid"),
    /** Mini-program business API: content security check (takes an access token). */
    WXA_MSG_SEC_CHECK("/wxa/msg_sec_check"),
    /** Official-account business API: a customer-service message. */
    CUSTOM_SEND("/cgi-bin/message/custom/send"),
    /** Official-account business API: the custom menu, stored per account. */
    MENU_CREATE("/cgi-bin/menu/create"),
    MENU_GET("/cgi-bin/menu/get"),
    /** Official-account business API: a follower's profile. */
    USER_INFO("/cgi-bin/user/info"),
    /** Temporary media: a multipart upload, kept per account, and its download. */
    MEDIA_UPLOAD("/cgi-bin/media/upload"),
    MEDIA_GET("/cgi-bin/media/get"),
    /** Open-platform business API on the component's token: an authorizer's option. */
    COMPONENT_AUTHORIZER_OPTION("/cgi-bin/component/api_get_authorizer_option");

    private final String path;

    WeChatEndpoint(String path) {
        this.path = path;
    }

    public String path() {
        return path;
    }

    /** Whether only qyapi.weixin.qq.com serves it, so it answers in WeCom's error format. */
    boolean isWeCom() {
        return this == WECOM_GETTOKEN || this == WECOM_GET_JSAPI_TICKET || this == WECOM_AGENT_TICKET;
    }

    static WeChatEndpoint forPath(String path) {
        return Arrays.stream(values())
                .filter(e -> e.path.equals(path))
                .findFirst()
                .orElse(null);
    }
}
