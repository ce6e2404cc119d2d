package io.tokencast.sidecar;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentSourceRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * Builds what goes upstream for a gateway call: the upstream of the path and the key's kind (never the request's
 * host), the path as sent, the query with the fleet's tokens in place of the caller's credentials, the caller's
 * headers less hop-by-hop and tokencast's own, and the body: kept bytes (replayable) or the caller's stream.
 */
final class UpstreamRequests {

    private final HttpClient client;
    private final GatewayRoutes routes;
    private final boolean dropAuthorization;
    /** Each upstream's Host header, made once: without one, Jetty builds a URI of every request to make it. */
    private final Map<URI, HttpField> hosts = new HashMap<>();

    UpstreamRequests(HttpClient client, GatewayRoutes routes, GatewayConfig config, SharedToken shared) {
        this.client = client;
        this.routes = routes;
        this.dropAuthorization = shared.required();
        for (URI upstream : List.of(config.wechat(), config.wecom(), config.mp(), config.file())) {
            hosts.put(upstream, new PreEncodedHttpField(HttpHeader.HOST, upstream.getAuthority()));
        }
    }

    /** The host a call goes to, for messages: never the path or the query, which may hold a token. */
    String host(String path, CallPlan plan) {
        return routes.upstream(
                        path, plan.primary() == null ? null : plan.primary().kind())
                .getHost();
    }

    /**
     * The upstream request of a call.
     *
     * @param replay the whole body, kept so it can be sent again; or null
     * @param stream the caller's body, streamed once; or null
     * @throws InvalidTarget when the path or query makes no valid URI
     */
    org.eclipse.jetty.client.Request build(
            Request request, CallPlan plan, String path, String rawPath, byte[] replay, Content.Source stream) {
        URI base = routes.upstream(
                path, plan.primary() == null ? null : plan.primary().kind());
        String query = plan.upstreamQuery();
        URI target;
        try {
            target = URI.create(base + rawPath + (query == null || query.isEmpty() ? "" : "?" + query));
        } catch (IllegalArgumentException e) {
            throw new InvalidTarget(); // never e's message: it quotes the target, token and all
        }
        // The read timeout is the client's idle timeout (Gateway#client): none set here, so no exchange moves the
        // connection's idle timer back and forth.
        org.eclipse.jetty.client.Request out = new UpstreamRequest(client, base, target)
                .method(request.getMethod())
                .headers(headers -> {
                    HopByHop.copyRequest(request.getHeaders(), headers, dropAuthorization);
                    headers.put(hosts.get(base));
                });
        String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (replay != null) {
            out.body(new BytesRequestContent(contentType, replay));
        } else if (stream != null) {
            out.body(new ContentSourceRequestContent(stream, contentType));
        }
        return out;
    }

    /** The request's path or query makes no valid upstream URI. */
    static final class InvalidTarget extends RuntimeException {
        InvalidTarget() {
            super("the path or query is not a valid URI", null, false, false);
        }
    }
}
