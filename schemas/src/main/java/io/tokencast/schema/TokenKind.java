package io.tokencast.schema;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The kinds of credential tokencast refreshes; the id is the first half of a {@link TokenKey}. */
public enum TokenKind {
    /** Official account / mini program token; account = appid. */
    WECHAT_ACCESS_TOKEN("wechat-access-token"),
    /** WeCom application token; account = {@code corpid.agentid}. */
    WECOM_ACCESS_TOKEN("wecom-access-token"),
    /** Open platform component token; account = component appid. */
    WECHAT_COMPONENT_ACCESS_TOKEN("wechat-component-access-token"),
    /** Open platform authorizer token; account = {@code componentAppid.authorizerAppid}. */
    WECHAT_AUTHORIZER_ACCESS_TOKEN("wechat-authorizer-access-token"),
    /** JS-SDK ticket; account = appid. */
    WECHAT_JSAPI_TICKET("wechat-jsapi-ticket"),
    /** Card/coupon ticket; account = appid. */
    WECHAT_CARD_TICKET("wechat-card-ticket"),
    /** WeCom corp JS-SDK ticket ({@code get_jsapi_ticket}); account = corpid. */
    WECOM_JSAPI_TICKET("wecom-jsapi-ticket"),
    /** WeCom application JS-SDK ticket ({@code ticket/get?type=agent_config}); account = {@code corpid.agentid}. */
    WECOM_AGENT_JSAPI_TICKET("wecom-agent-jsapi-ticket");

    // values() copies the array on every call, and every decoded token key looks its kind up.
    private static final TokenKind[] ALL = values();

    private final String id;

    TokenKind(String id) {
        this.id = id;
    }

    /** The contract name, e.g. {@code wechat-access-token}. */
    @JsonValue
    public String id() {
        return id;
    }

    /**
     * Looks a kind up by its contract name.
     *
     * @throws InvalidTokenKeyException naming the unknown kind and the known ones
     */
    @JsonCreator
    public static TokenKind fromId(String id) {
        for (TokenKind kind : ALL) {
            if (kind.id.equals(id)) {
                return kind;
            }
        }
        throw new InvalidTokenKeyException("unknown token kind '" + id + "'; known kinds: " + knownIds());
    }

    static String knownIds() {
        return Arrays.stream(values()).map(TokenKind::id).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return id;
    }
}
