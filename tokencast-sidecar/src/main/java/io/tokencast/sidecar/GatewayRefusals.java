package io.tokencast.sidecar;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The gateway's path policy: what it refuses whatever the credential (CONNECT, absolute-URI requests, paths that
 * mint or reveal credentials, paths no WeChat API has, bodies over the media cap, calls past
 * {@code max-concurrent}), each in WeChat's shape, and how a local answer is written. The upstream host never
 * comes from the request (docs/design.md §5.6, gateway mode).
 */
final class GatewayRefusals {

    private GatewayRefusals() {}

    /**
     * Refuses what a gateway never does, whatever the path: CONNECT, and absolute-URI requests (the upstream
     * never comes from the request). Null when the request may go on.
     */
    static Answer transport(Request request) {
        if ("CONNECT".equals(request.getMethod())) {
            return WeChatReplies.error(48001, "CONNECT is refused: the gateway is no HTTP proxy")
                    .withStatus(405)
                    .withHeader("Connection", "close");
        }
        if (RequestLineConnectionFactory.isAbsoluteForm(request)) {
            return WeChatReplies.error(
                            48001,
                            "absolute-URI requests are refused: the upstream never comes from the request;"
                                    + " send origin-form requests to the sidecar's own URL")
                    .withStatus(400);
        }
        return null;
    }

    /** The refusal of a path the gateway never forwards; null for a path it forwards. */
    static Refusal path(GatewayRoutes.Route route) {
        return switch (route) {
            case REFUSED -> new Refusal(
                    "credential-path",
                    WeChatReplies.error(
                            48001,
                            "this path mints or reveals credentials; only tokencast's refresher calls it"
                                    + " (token endpoints are served by the sidecar itself)"));
            case UNMAPPED -> new Refusal(
                    "unmapped",
                    WeChatReplies.error(48001, "no WeChat API is mapped at this path")
                            .withStatus(404));
                // The router answers WeCom's ticket paths from the view (WeComTickets) before the gateway sees a
                // request; should one ever reach the gateway, it is still never forwarded.
            case WECOM_TICKET -> new Refusal(
                    "credential-path",
                    WeChatReplies.error(
                            48001,
                            "WeCom tickets are answered by the sidecar's ticket endpoints; this path is never"
                                    + " forwarded"));
            case FORWARD, OPEN -> null;
        };
    }

    static Refusal tooLarge() {
        return new Refusal(
                "too-large",
                WeChatReplies.error(
                                40006,
                                "the request body is larger than tokencast.sidecar.gateway.max-media-size;"
                                        + " it was not forwarded")
                        .withStatus(413)
                        .withHeader("Connection", "close"));
    }

    static Refusal busy(String why) {
        return new Refusal("busy", WeChatReplies.error(-1, why));
    }

    /** Writes a local answer, or fails the exchange when an upstream's answer is already under way. */
    static void answer(Response response, Callback callback, Answer answer) {
        if (response.isCommitted()) {
            callback.failed(new IOException("the answer was already under way"));
            return;
        }
        try {
            response.reset(); // an upstream's status and headers, when its answer failed before any byte went out
            response.setStatus(answer.status());
            HttpFields.Mutable headers = response.getHeaders();
            headers.put(HttpHeader.CONTENT_TYPE, answer.contentType());
            answer.headers().forEach(headers::put);
            headers.put(HttpHeader.CONTENT_LENGTH, answer.body().length);
            response.write(true, ByteBuffer.wrap(answer.body()), callback);
        } catch (RuntimeException e) {
            callback.failed(e);
        }
    }
}
