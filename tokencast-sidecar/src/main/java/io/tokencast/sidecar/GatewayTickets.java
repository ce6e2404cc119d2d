package io.tokencast.sidecar;

import org.eclipse.jetty.server.Request;

/**
 * WeCom's ticket paths reached through the gateway ({@code /cgi-bin/get_jsapi_ticket},
 * {@code /cgi-bin/ticket/get}): tickets are the sidecar's to answer, never WeChat's, so these paths are never
 * forwarded (docs/design.md §5.6, gateway mode). The router answers them from the view ({@link WeComTickets})
 * before the gateway sees a request; this refusal is the gateway's own guarantee, should a route ever reach it.
 * WeChat's own {@code ticket/getticket} is a token endpoint ({@link WeChatApi#ticket}).
 */
final class GatewayTickets {

    /** The local answer to a {@link GatewayRoutes.Route#WECOM_TICKET} call. */
    Refusal answer(Request request) {
        return new Refusal(
                "credential-path",
                WeChatReplies.error(
                        48001,
                        "WeCom tickets are answered by the sidecar's ticket endpoints; this path is never"
                                + " forwarded"));
    }
}
