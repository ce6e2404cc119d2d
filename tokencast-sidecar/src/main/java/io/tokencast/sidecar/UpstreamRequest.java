package io.tokencast.sidecar;

import java.net.URI;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.transport.HttpConversation;
import org.eclipse.jetty.client.transport.HttpRequest;

/**
 * Jetty's request to an upstream, made from the upstream's own URI (parsed once, at configuration) and a target
 * whose path and query were already checked whole as a {@link URI} ({@link UpstreamRequests}). Made from the
 * target itself, Jetty's {@link HttpRequest} would also decode every query parameter of every forwarded call into
 * a map that nothing of the gateway reads ({@link HttpRequest#getParams()}); its request line and its URI come from
 * {@link #getPath()} and {@link #getQuery()} alone, so they are the target's here. GatewayHandlesIT sees each query reach
 * the upstream as sent.
 */
final class UpstreamRequest extends HttpRequest {

    private final String path;
    private final String query;

    UpstreamRequest(HttpClient client, URI upstream, URI target) {
        super(client, new HttpConversation(), upstream);
        this.path = target.getRawPath();
        this.query = target.getRawQuery();
    }

    @Override
    public String getPath() {
        return path;
    }

    @Override
    public String getQuery() {
        return query;
    }

    /** The target is fixed when the call is planned: the gateway never redirects or rewrites it. */
    @Override
    public Request path(String newPath) {
        throw new UnsupportedOperationException("an upstream request's path and query are fixed");
    }
}
