package io.tokencast.refresher.wechat;

import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import java.util.Collection;
import java.util.List;

/**
 * Which access tokens a ticket is fetched with (docs/design.md §3): an official account's tickets with
 * {@code wechat-access-token/<appid>}, a WeCom app's {@code agent_config} ticket with
 * {@code wecom-access-token/<corpid>.<agentid>}, and a WeCom corp's ticket with a token of any of the corp's
 * apps, tried in the order they are configured.
 */
public final class TicketTokens {

    private TicketTokens() {}

    /**
     * The token keys that can fetch {@code ticket}, best first, among {@code managed} (the keys this refresher
     * keeps fresh, in configuration order); empty when none is managed, or when {@code ticket} is no ticket.
     */
    public static List<TokenKey> of(TokenKey ticket, Collection<TokenKey> managed) {
        return switch (ticket.kind()) {
            case WECHAT_JSAPI_TICKET, WECHAT_CARD_TICKET -> only(
                    TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, ticket.account()), managed);
            case WECOM_AGENT_JSAPI_TICKET -> only(TokenKey.of(TokenKind.WECOM_ACCESS_TOKEN, ticket.account()), managed);
            case WECOM_JSAPI_TICKET -> managed.stream()
                    .filter(k -> k.kind() == TokenKind.WECOM_ACCESS_TOKEN
                            && k.account().startsWith(ticket.account() + "."))
                    .toList();
            case WECHAT_ACCESS_TOKEN,
                    WECOM_ACCESS_TOKEN,
                    WECHAT_COMPONENT_ACCESS_TOKEN,
                    WECHAT_AUTHORIZER_ACCESS_TOKEN -> List.of();
        };
    }

    /** The token {@code ticket} needs, in words, for a configuration error that says none is configured. */
    public static String needed(TokenKey ticket) {
        return switch (ticket.kind()) {
            case WECOM_JSAPI_TICKET -> "a token of one of the corp's apps (wecom-access-token/" + ticket.account()
                    + ".<agentid>)";
            case WECOM_AGENT_JSAPI_TICKET -> TokenKey.of(TokenKind.WECOM_ACCESS_TOKEN, ticket.account())
                    .asString();
            default -> TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, ticket.account())
                    .asString();
        };
    }

    private static List<TokenKey> only(TokenKey token, Collection<TokenKey> managed) {
        return managed.contains(token) ? List.of(token) : List.of();
    }
}
