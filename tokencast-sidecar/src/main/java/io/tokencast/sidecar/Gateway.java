package io.tokencast.sidecar;

import java.util.concurrent.Semaphore;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gateway mode's front door (docs/design.md §5.6, gateway mode): a WeChat API call the token endpoints do not
 * serve is checked against the path policy ({@link GatewayRefusals}), its credentials
 * resolved ({@link CredentialResolver}), its body kept for a replay or streamed, and it is forwarded
 * ({@link ForwardedCall}) over Jetty's {@link HttpClient}: pooled, kept-alive connections, connect and idle
 * timeouts, bodies streamed both ways.
 *
 * <p>Nothing here blocks: the call runs on the HTTP server's and the client's callbacks, from the request to
 * the answer, so a forwarded call costs no thread of its own while the upstream thinks or a rotation is awaited.
 * At most {@code max-concurrent} calls are forwarded at once; more are answered -1 (busy) at once.
 */
final class Gateway implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    private final GatewayConfig config;
    private final GatewayRoutes routes;
    private final CredentialResolver credentials;
    private final GatewayMetrics metrics;
    private final HttpClient client;
    private final ForwardedCall.Forwarding forwarding;
    private final Semaphore slots;

    Gateway(
            GatewayConfig config,
            TokenLookup lookup,
            PresentedCredentials presented,
            SharedToken shared,
            GatewayMetrics metrics) {
        this.config = config;
        this.routes = new GatewayRoutes(config);
        this.credentials = new CredentialResolver(config, lookup, presented, shared);
        this.metrics = metrics;
        this.slots = new Semaphore(config.maxConcurrent());
        this.client = client(config);
        this.forwarding = new ForwardedCall.Forwarding(
                new UpstreamRequests(client, routes, config, shared),
                new RotationRetry(lookup, config, metrics),
                metrics,
                config,
                client.getExecutor());
    }

    private static HttpClient client(GatewayConfig config) {
        HttpClient client = new HttpClient();
        // The relay's callbacks never block (a rotation's report runs on the executor), so Jetty may run them on
        // the thread that read the upstream's answer instead of handing each answer to another thread.
        client.getHttpClientTransport().setInvocationType(Invocable.InvocationType.NON_BLOCKING);
        // No thread waits on an exchange: a few threads run every callback, whatever the concurrency.
        client.setExecutor(SidecarThreads.upstream());
        client.setConnectTimeout(config.connectTimeout().toMillis());
        // The read timeout: an upstream silent this long before or within an answer fails the call; and a pooled
        // connection idle this long is closed. One value for both, so no exchange resets the connection's timer.
        client.setIdleTimeout(config.readTimeout().toMillis());
        client.setFollowRedirects(false);
        client.setUserAgentField(null);
        // Kept-alive HTTP/1.1 connections, as many as calls may be in flight, so none waits for one.
        client.setMaxConnectionsPerDestination(Math.max(64, config.maxConcurrent()));
        client.setMaxRequestsQueuedPerDestination(Math.max(1024, config.maxConcurrent() * 4));
        // Bytes through as they came: no gzip decoding (and so no Accept-Encoding added), no cookie jar.
        client.getContentDecoderFactories().clear();
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        return client;
    }

    void start() {
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("the gateway's HTTP client cannot start: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception e) {
            log.warn("gateway http client did not stop cleanly cause={}", e.toString());
        }
    }

    /**
     * Takes over a request the token endpoints do not serve, and answers it, now or once the upstream has.
     *
     * @param path the decoded path below any WeCom agent prefix, which routes the call
     * @param rawPath the same path as sent (still encoded), which goes upstream
     */
    void handle(Request request, Response response, Callback callback, String path, String rawPath) {
        long started = System.nanoTime();
        GatewayRoutes.Route route = routes.route(path);
        String template = routes.template(path, route);
        Refusal local = GatewayRefusals.path(route);
        if (local != null) {
            refuse(response, callback, template, local);
            return;
        }
        CredentialResolver.Resolution resolution = credentials.resolve(request, route);
        if (resolution instanceof Refusal refusal) {
            refuse(response, callback, template, refusal);
            return;
        }
        if (!slots.tryAcquire()) {
            refuse(response, callback, template, GatewayRefusals.busy("the gateway is busy"));
            return;
        }
        Runnable release = slots::release;
        Callback released = Callback.from(callback, release);
        if (!client.isRunning()) {
            refuse(response, released, template, GatewayRefusals.busy("the gateway is stopping"));
            return;
        }
        forward(request, response, released, path, rawPath, template, (CallPlan) resolution, started);
    }

    private void forward(
            Request request,
            Response response,
            Callback callback,
            String path,
            String rawPath,
            String template,
            CallPlan plan,
            long started) {
        long length = request.getLength();
        if (length > config.maxMediaBytes()) {
            BodyDrain.drain(
                    request,
                    Math.min(length, BodyDrain.LIMIT),
                    config.readTimeout(),
                    () -> refuse(response, callback, template, GatewayRefusals.tooLarge()));
            return;
        }
        ForwardedCall call =
                new ForwardedCall(forwarding, request, response, callback, path, rawPath, template, started);
        if (length > 0 && length <= GatewayConfig.REPLAY_BYTES) {
            // Kept whole, so a call refused for its token can be sent once more.
            Content.Source.asByteArrayAsync(request, GatewayConfig.REPLAY_BYTES).whenComplete((body, failure) -> {
                if (failure != null) {
                    refuse(response, callback, template, unreadable());
                } else {
                    call.start(plan, body, null);
                }
            });
        } else if (length > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING)) {
            call.start(plan, null, new CappedSource(request, config.maxMediaBytes()));
        } else {
            call.start(plan, null, null);
        }
    }

    private static Refusal unreadable() {
        return new Refusal(
                "unreadable-body",
                WeChatReplies.error(-1, "the request body could not be read").withStatus(400));
    }

    private void refuse(Response response, Callback callback, String template, Refusal refusal) {
        metrics.refusal(template, refusal.reason());
        GatewayRefusals.answer(response, callback, refusal.answer());
    }
}
