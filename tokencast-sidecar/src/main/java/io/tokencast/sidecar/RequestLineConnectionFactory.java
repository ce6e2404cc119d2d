package io.tokencast.sidecar;

import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.thread.Invocable;

/**
 * HTTP/1.1 connections that remember whether the request line was in absolute form
 * ({@code GET http://host/path}): what a client sends when it mistakes the sidecar for an HTTP proxy. The
 * gateway refuses absolute-form requests because the upstream never comes from the request.
 *
 * <p>Jetty 12 has no public way to tell: it fills an origin-form request's URI from the Host header, so both
 * forms reach a handler as the same absolute {@code HttpURI}, and its only public trace, the
 * {@code MISMATCHED_AUTHORITY} compliance event, fires only when the Host header differs from the URI's
 * authority (and by default Jetty answers those 400 itself). So this extends Jetty's internal
 * {@code HttpConnection} to see the request line; GatewayForwardingIT's absolute-URI case catches a Jetty that
 * changes it.
 * Knowing its own connections also lets {@link SidecarThreads} resume one on the thread that completed its answer.
 */
final class RequestLineConnectionFactory extends HttpConnectionFactory {

    RequestLineConnectionFactory(HttpConfiguration configuration) {
        super(configuration);
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        RememberingConnection connection = new RememberingConnection(getHttpConfiguration(), connector, endPoint);
        connection.setTransferEncodingChunkMaxLength(getTransferEncodingChunkMaxLength());
        return configure(connection, connector, endPoint);
    }

    /** Whether the request arrived in absolute form. */
    static boolean isAbsoluteForm(Request request) {
        return request.getConnectionMetaData().getConnection() instanceof RememberingConnection c && c.absoluteForm;
    }

    /**
     * Whether {@code task} is one of these connections being resumed after an answer completed outside its
     * handler, and the server's handlers never block: reading the connection's next request may then run on any
     * thread ({@link SidecarThreads}).
     */
    static boolean resumesWithoutBlocking(Runnable task) {
        return task instanceof RememberingConnection c
                && c.getServer().getInvocationType() == Invocable.InvocationType.NON_BLOCKING;
    }

    private static final class RememberingConnection extends HttpConnection {
        // HTTP/1.1 parses one request at a time per connection: the flag belongs to the request being handled.
        private volatile boolean absoluteForm;

        RememberingConnection(HttpConfiguration configuration, Connector connector, EndPoint endPoint) {
            super(configuration, connector, endPoint);
        }

        @Override
        protected RequestHandler newRequestHandler() {
            return new RequestHandler() {
                @Override
                public void startRequest(String method, String uri, HttpVersion version) {
                    absoluteForm = uri != null && !uri.startsWith("/") && !"*".equals(uri);
                    super.startRequest(method, uri, version);
                }
            };
        }
    }
}
