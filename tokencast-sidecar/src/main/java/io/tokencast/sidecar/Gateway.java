package io.tokencast.sidecar;

import io.tokencast.consumer.Token;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentSourceRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gateway mode's forwarding (docs/design.md §5.6, gateway mode): a WeChat API call arrives with a handle, a token
 * tokencast distributed, or {@code X-Tokencast-Key}; the key's current token replaces what the caller sent, in
 * {@code access_token} and every {@code component_access_token}, and the call goes to the upstream of the key's
 * kind over Jetty's {@link HttpClient} (pooled connections, connect and idle timeouts, bodies streamed both ways).
 *
 * <p>Rotation is absorbed: a JSON answer up to {@value GatewayConfig#INSPECT_BYTES} bytes is read for its
 * errcode, and on 40001, 40014 or 42001 the fingerprint used is reported (once per fingerprint, however many
 * callers) and the call is sent once more with the next token, when one arrives within the rotation wait.
 * Request bodies up to {@value GatewayConfig#REPLAY_BYTES} bytes are kept for that replay; larger ones (media)
 * are streamed and never retried. Every other answer passes through byte for byte.
 *
 * <p>Each forwarded call holds one gateway thread while it streams (bounded by {@code max-concurrent}); the
 * HTTP server's own threads never block. No log line carries a query value, a token or a handle.
 */
final class Gateway implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    private static final java.time.Duration HEADERS_BACKSTOP = java.time.Duration.ofMinutes(15);
    /** Never forwarded: the hop-by-hop headers (RFC 9110, section 7.6.1) and tokencast's own. */
    private static final Set<String> DROPPED_REQUEST_HEADERS = Set.of(
            "connection",
            "keep-alive",
            "proxy-authenticate",
            "proxy-authorization",
            "proxy-connection",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
            "host",
            "expect",
            "content-length",
            "x-tokencast-key",
            "x-tokencast-token");

    private static final Set<String> DROPPED_RESPONSE_HEADERS = Set.of(
            "connection",
            "keep-alive",
            "proxy-authenticate",
            "proxy-connection",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
            "content-length");

    private final GatewayConfig config;
    private final SharedToken shared;
    private final GatewayRoutes routes;
    private final CredentialResolver credentials;
    private final GatewayTickets tickets = new GatewayTickets();
    private final RotationRetry rotation;
    private final GatewayMetrics metrics;
    private final HttpClient client;
    private final ExecutorService workers;
    private final Semaphore slots;

    Gateway(
            GatewayConfig config,
            TokenLookup lookup,
            PresentedCredentials presented,
            SharedToken shared,
            GatewayMetrics metrics) {
        this.config = config;
        this.shared = shared;
        this.routes = new GatewayRoutes(config);
        this.credentials = new CredentialResolver(config, lookup, presented, shared);
        this.rotation = new RotationRetry(lookup, config, metrics);
        this.metrics = metrics;
        this.slots = new Semaphore(config.maxConcurrent());
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "tokencast-sidecar-gateway-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.client = new HttpClient();
        QueuedThreadPool clientPool = new QueuedThreadPool(16, 2);
        clientPool.setName("tokencast-sidecar-upstream");
        client.setExecutor(clientPool);
        client.setConnectTimeout(config.connectTimeout().toMillis());
        client.setIdleTimeout(Math.max(config.readTimeout().toMillis(), 60_000));
        client.setFollowRedirects(false);
        client.setUserAgentField(null);
        client.setMaxConnectionsPerDestination(Math.max(64, config.maxConcurrent()));
        client.setMaxRequestsQueuedPerDestination(Math.max(1024, config.maxConcurrent() * 4));
        // Bytes through as they came: no gzip decoding (and so no Accept-Encoding added), no cookie jar.
        client.getContentDecoderFactories().clear();
        client.setHttpCookieStore(new org.eclipse.jetty.http.HttpCookieStore.Empty());
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
        workers.shutdownNow();
        try {
            client.stop();
        } catch (Exception e) {
            log.warn("gateway http client did not stop cleanly cause={}", e.toString());
        }
    }

    /**
     * Takes over a request the token endpoints do not serve; answers it on a gateway thread.
     *
     * @param path the decoded path below any WeCom agent prefix, which routes the call
     * @param rawPath the same path as sent (still encoded), which goes upstream
     */
    void handle(Request request, Response response, Callback callback, String path, String rawPath) {
        long started = System.nanoTime();
        GatewayRoutes.Route route = routes.route(path);
        String template = routes.template(path, route);
        if (!slots.tryAcquire()) {
            refuse(response, callback, template, GatewayRefusals.busy("the gateway is busy"));
            return;
        }
        try {
            workers.execute(() -> {
                try {
                    serve(request, response, callback, path, rawPath, route, template, started);
                } catch (RuntimeException e) {
                    // The class and the frames, not the message: a message may quote the upstream URI.
                    RuntimeException quiet = new RuntimeException(e.getClass().getName(), null, false, true) {};
                    quiet.setStackTrace(e.getStackTrace());
                    log.error(
                            "gateway call failed path={} cause={}",
                            template,
                            e.getClass().getName(),
                            quiet);
                    failOrAnswer(response, callback, WeChatReplies.error(-1, "internal error; see the sidecar's log"));
                } finally {
                    slots.release();
                }
            });
        } catch (RuntimeException rejected) {
            slots.release();
            refuse(response, callback, template, GatewayRefusals.busy("the gateway is stopping"));
        }
    }

    private void serve(
            Request request,
            Response response,
            Callback callback,
            String path,
            String rawPath,
            GatewayRoutes.Route route,
            String template,
            long started) {
        Refusal local =
                route == GatewayRoutes.Route.WECOM_TICKET ? tickets.answer(request) : GatewayRefusals.path(route);
        if (local != null) {
            refuse(response, callback, template, local);
            return;
        }
        CredentialResolver.Resolution resolution = credentials.resolve(request, route);
        if (resolution instanceof Refusal refusal) {
            refuse(response, callback, template, refusal);
            return;
        }
        CallPlan plan = (CallPlan) resolution;
        long length = request.getLength();
        boolean chunked = request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
        if (length > config.maxMediaBytes()) {
            // Read (and drop) what the caller is sending before answering, within bounds: a client still
            // writing its body when the connection closes never sees the answer.
            discard(request, Math.min(length, DISCARD_LIMIT));
            refuse(response, callback, template, GatewayRefusals.tooLarge());
            return;
        }
        byte[] replay = null;
        Content.Source stream = null;
        if (length > 0 && length <= GatewayConfig.REPLAY_BYTES) {
            try {
                replay = Content.Source.asByteArrayAsync(request, GatewayConfig.REPLAY_BYTES)
                        .get(config.readTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failOrAnswer(response, callback, WeChatReplies.error(-1, "interrupted"));
                return;
            } catch (ExecutionException | TimeoutException e) {
                refuse(
                        response,
                        callback,
                        template,
                        new Refusal(
                                "unreadable-body",
                                WeChatReplies.error(-1, "the request body could not be read")
                                        .withStatus(400)));
                return;
            }
        } else if (length > 0 || chunked) {
            stream = new CappedSource(request, config.maxMediaBytes());
        }
        boolean retryable = plan.primaryToken() != null && stream == null;
        Attempt first = send(request, plan, replay, stream, path, rawPath);
        metrics.upstream(template, first.nanos);
        if (first.failure != null) {
            answerFailure(request, response, callback, template, plan, first.failure, started);
            return;
        }
        try {
            Inspected inspected = inspect(first);
            if (retryable && inspected.body != null && RotationRetry.refusesToken(inspected.errcode)) {
                Token next = awaitNext(plan.primaryToken(), inspected.errcode);
                if (next != null) {
                    CallPlan again = plan.withToken(plan.primary(), next);
                    Attempt second = send(request, again, replay, null, path, rawPath);
                    metrics.upstream(template, second.nanos);
                    metrics.retry(template);
                    if (second.failure != null) {
                        answerFailure(request, response, callback, template, again, second.failure, started);
                        return;
                    }
                    relay(response, callback, second, inspect(second));
                    metrics.call(template, "retried", System.nanoTime() - started);
                    return;
                }
            }
            relay(response, callback, first, inspected);
            metrics.call(template, "forwarded", System.nanoTime() - started);
        } catch (IOException e) {
            // The answer broke off mid-body (or the caller went away): nothing sensible can be said any more.
            log.debug(
                    "gateway relay broke off path={} cause={}",
                    template,
                    e.getClass().getSimpleName());
            metrics.call(template, "broken", System.nanoTime() - started);
            callback.failed(e);
        }
    }

    // ---- forwarding

    /** One exchange with the upstream: its answer, or why there is none. */
    private static final class Attempt {
        org.eclipse.jetty.client.Response response;
        InputStream body;
        Throwable failure;
        long nanos;
        URI upstream;
    }

    private Attempt send(
            Request request, CallPlan plan, byte[] replay, Content.Source stream, String path, String rawPath) {
        Attempt attempt = new Attempt();
        long t0 = System.nanoTime();
        URI base = routes.upstream(
                path, plan.primary() == null ? null : plan.primary().kind());
        attempt.upstream = base;
        String query = plan.upstreamQuery();
        String target = base + rawPath + (query == null || query.isEmpty() ? "" : "?" + query);
        URI uri;
        try {
            uri = URI.create(target);
        } catch (IllegalArgumentException e) {
            // Never e's message: it quotes the target, token and all.
            attempt.failure = new InvalidTarget();
            return attempt;
        }
        org.eclipse.jetty.client.Request out = client.newRequest(uri)
                .method(request.getMethod())
                .idleTimeout(config.readTimeout().toMillis(), TimeUnit.MILLISECONDS);
        String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        out.headers(headers -> {
            Set<String> connectionListed = connectionListed(request.getHeaders());
            for (HttpField field : request.getHeaders()) {
                String name = field.getLowerCaseName();
                if (DROPPED_REQUEST_HEADERS.contains(name) || connectionListed.contains(name)) {
                    continue;
                }
                if (name.equals("authorization") && shared.required()) {
                    continue; // the sidecar's own shared token, never WeChat's business
                }
                headers.add(field);
            }
        });
        if (replay != null) {
            out.body(new BytesRequestContent(contentType, replay));
        } else if (stream != null) {
            out.body(new ContentSourceRequestContent(stream, contentType));
        }
        InputStreamResponseListener listener = new InputStreamResponseListener();
        out.send(listener);
        try {
            // Silence is bounded by the request's idle timeout (read-timeout), which fails the exchange; this bound
            // only stops a wait that never ends, since sending a large body may rightly take long.
            attempt.response = listener.get(HEADERS_BACKSTOP.toMillis(), TimeUnit.MILLISECONDS);
            attempt.body = listener.getInputStream();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.abort(e);
            attempt.failure = e;
        } catch (TimeoutException e) {
            out.abort(e);
            attempt.failure = e;
        } catch (ExecutionException e) {
            attempt.failure = e.getCause() == null ? e : e.getCause();
        }
        attempt.nanos = System.nanoTime() - t0;
        return attempt;
    }

    private static Set<String> connectionListed(HttpFields headers) {
        String connection = headers.get(HttpHeader.CONNECTION);
        if (connection == null) {
            return Set.of();
        }
        Set<String> out = new java.util.HashSet<>();
        for (String token : connection.split(",")) {
            out.add(token.strip().toLowerCase(Locale.ROOT));
        }
        return out;
    }

    /** An answer read whole when small enough to judge; otherwise its first bytes and the rest still to stream. */
    private static final class Inspected {
        byte[] body;
        byte[] prefix;
        int errcode;
    }

    private Inspected inspect(Attempt attempt) throws IOException {
        Inspected out = new Inspected();
        long length = attempt.response.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        String type = String.valueOf(attempt.response.getHeaders().get(HttpHeader.CONTENT_TYPE))
                .toLowerCase(Locale.ROOT);
        // WeChat's error bodies are JSON, sometimes labelled text/plain (docs/wechat-api.md §0.2).
        boolean textual = type.contains("json") || type.startsWith("text/") || type.equals("null");
        if (!textual || length > GatewayConfig.INSPECT_BYTES) {
            return out;
        }
        byte[] head = attempt.body.readNBytes(GatewayConfig.INSPECT_BYTES + 1);
        if (head.length > GatewayConfig.INSPECT_BYTES) {
            out.prefix = head;
            return out;
        }
        out.body = head;
        out.errcode = RotationRetry.errcode(head, head.length);
        return out;
    }

    private void relay(Response response, Callback callback, Attempt attempt, Inspected inspected) throws IOException {
        org.eclipse.jetty.client.Response upstream = attempt.response;
        response.setStatus(upstream.getStatus());
        HttpFields.Mutable headers = response.getHeaders();
        Set<String> connectionListed = connectionListed(upstream.getHeaders());
        for (HttpField field : upstream.getHeaders()) {
            String name = field.getLowerCaseName();
            if (!DROPPED_RESPONSE_HEADERS.contains(name) && !connectionListed.contains(name)) {
                headers.add(field);
            }
        }
        if (inspected.body != null) {
            headers.put(HttpHeader.CONTENT_LENGTH, inspected.body.length);
            response.write(true, ByteBuffer.wrap(inspected.body), callback);
            return;
        }
        long length = upstream.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        if (length >= 0) {
            headers.put(HttpHeader.CONTENT_LENGTH, length);
        }
        try (OutputStream out = Content.Sink.asOutputStream(response);
                InputStream in = attempt.body) {
            if (inspected.prefix != null) {
                out.write(inspected.prefix);
            }
            in.transferTo(out);
        }
        callback.succeeded();
    }

    private void answerFailure(
            Request request,
            Response response,
            Callback callback,
            String template,
            CallPlan plan,
            Throwable failure,
            long started) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            if (cause instanceof CappedSource.TooLarge) {
                break;
            }
            cause = cause.getCause();
        }
        if (failure instanceof InvalidTarget) {
            metrics.refusal(template, "bad-request");
            failOrAnswer(response, callback, WeChatReplies.error(40097, "the path or query is not a valid URI"));
            return;
        }
        if (cause instanceof CappedSource.TooLarge || failure instanceof CappedSource.TooLarge) {
            metrics.refusal(template, "too-large");
            discard(request, DISCARD_LIMIT);
            failOrAnswer(response, callback, GatewayRefusals.tooLarge().answer());
            return;
        }
        String host = routes.upstream(
                        "", plan.primary() == null ? null : plan.primary().kind())
                .getHost();
        String why;
        if (cause instanceof TimeoutException
                || cause.getClass().getSimpleName().contains("Timeout")) {
            why = "upstream " + host + " did not answer within the read timeout (" + config.readTimeout() + ")";
        } else if (cause instanceof ConnectException) {
            why = "upstream " + host + " refused the connection or could not be reached";
        } else {
            why = "upstream " + host + " failed: " + cause.getClass().getSimpleName();
        }
        log.warn(
                "gateway upstream failed path={} cause={}",
                template,
                cause.getClass().getSimpleName());
        metrics.call(template, "upstream-error", System.nanoTime() - started);
        failOrAnswer(response, callback, WeChatReplies.error(-1, why));
    }

    /** At most this much of an oversized body is read and dropped so its caller can see the refusal. */
    private static final long DISCARD_LIMIT = 256L * 1024 * 1024;

    private void discard(Request request, long limit) {
        long deadline = System.nanoTime() + config.readTimeout().toNanos();
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] sink = new byte[16 * 1024];
            long dropped = 0;
            int n;
            while (dropped < limit && System.nanoTime() < deadline && (n = in.read(sink)) >= 0) {
                dropped += n;
            }
        } catch (IOException | RuntimeException e) {
            // The caller went away or sent less: the refusal is answered all the same.
        }
    }

    private Token awaitNext(Token used, int errcode) {
        try {
            return rotation.next(used, errcode).get(config.rotationWait().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | TimeoutException e) {
            return null;
        }
    }

    // ---- local answers

    private void refuse(Response response, Callback callback, String template, Refusal refusal) {
        metrics.refusal(template, refusal.reason());
        GatewayRefusals.answer(response, callback, refusal.answer());
    }

    private static void failOrAnswer(Response response, Callback callback, Answer answer) {
        GatewayRefusals.answer(response, callback, answer);
    }

    /** The request's path or query makes no valid upstream URI. */
    private static final class InvalidTarget extends RuntimeException {
        InvalidTarget() {
            super("the path or query is not a valid URI", null, false, false);
        }
    }
}
