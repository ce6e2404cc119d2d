package io.tokencast.sidecar;

import io.tokencast.consumer.Token;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
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

    static final String KEY_HEADER = "X-Tokencast-Key";
    private static final java.time.Duration HEADERS_BACKSTOP = java.time.Duration.ofMinutes(15);
    private static final Set<Integer> TOKEN_ERRCODES = Set.of(40001, 40014, 42001);
    private static final Set<String> CREDENTIAL_PARAMS = Set.of("access_token", "component_access_token");
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
    private final TokenLookup lookup;
    private final PresentedCredentials presented;
    private final SharedToken shared;
    private final GatewayRoutes routes;
    private final GatewayMetrics metrics;
    private final HttpClient client;
    private final ExecutorService workers;
    private final Semaphore slots;
    private final Map<String, Boolean> reported = new ConcurrentHashMap<>();

    Gateway(
            GatewayConfig config,
            TokenLookup lookup,
            PresentedCredentials presented,
            SharedToken shared,
            GatewayMetrics metrics) {
        this.config = config;
        this.lookup = lookup;
        this.presented = presented;
        this.shared = shared;
        this.routes = new GatewayRoutes(config);
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
     * Refuses what a gateway never does, whatever the path: CONNECT, and absolute-URI requests (the upstream
     * never comes from the request). Null when the request may go on.
     */
    static Answer transportRefusal(Request request) {
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
            refuse(request, response, callback, template, "busy", WeChatReplies.error(-1, "the gateway is busy"));
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
            refuse(request, response, callback, template, "busy", WeChatReplies.error(-1, "the gateway is stopping"));
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
        switch (route) {
            case REFUSED -> {
                refuse(
                        request,
                        response,
                        callback,
                        template,
                        "credential-path",
                        WeChatReplies.error(
                                48001,
                                "this path mints or reveals credentials; only tokencast's refresher calls it"
                                        + " (token endpoints are served by the sidecar itself)"));
                return;
            }
            case WECOM_TICKET -> {
                refuse(
                        request,
                        response,
                        callback,
                        template,
                        "credential-path",
                        WeChatReplies.error(
                                48001, "WeCom tickets are not distributed by tokencast; this path is never forwarded"));
                return;
            }
            case UNMAPPED -> {
                refuse(
                        request,
                        response,
                        callback,
                        template,
                        "unmapped",
                        WeChatReplies.error(48001, "no WeChat API is mapped at this path")
                                .withStatus(404));
                return;
            }
            default -> {}
        }
        Plan plan = plan(request, route);
        if (plan.refusal != null) {
            refuse(request, response, callback, template, plan.refusalReason, plan.refusal);
            return;
        }
        long length = request.getLength();
        boolean chunked = request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
        if (length > config.maxMediaBytes()) {
            // Read (and drop) what the caller is sending before answering, within bounds: a client still
            // writing its body when the connection closes never sees the answer.
            discard(request, Math.min(length, DISCARD_LIMIT));
            refuse(
                    request,
                    response,
                    callback,
                    template,
                    "too-large",
                    tooLarge().withHeader("Connection", "close"));
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
                        request,
                        response,
                        callback,
                        template,
                        "unreadable-body",
                        WeChatReplies.error(-1, "the request body could not be read")
                                .withStatus(400));
                return;
            }
        } else if (length > 0 || chunked) {
            stream = new CappedSource(request, config.maxMediaBytes());
        }
        boolean retryable = plan.primary != null && (stream == null);
        Attempt first = send(request, plan, replay, stream, path, rawPath);
        metrics.upstream(template, first.nanos);
        if (first.failure != null) {
            answerFailure(request, response, callback, template, plan, first.failure, started);
            return;
        }
        try {
            Inspected inspected = inspect(first);
            if (retryable
                    && inspected.body != null
                    && TOKEN_ERRCODES.contains(inspected.errcode)
                    && plan.tokens.containsKey(plan.primary)) {
                Token used = plan.tokens.get(plan.primary);
                Token next = reportAndAwait(used, inspected.errcode);
                if (next != null) {
                    Plan again = plan.withToken(plan.primary, next);
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

    // ---- account resolution

    /** The account and tokens a call will use, or why it is answered locally. */
    private static final class Plan {
        final TokenKey primary;
        final Map<TokenKey, Token> tokens;
        /** Each credential parameter occurrence's key, null for one passed through untouched. */
        final List<TokenKey> occurrences;

        final List<String[]> query;
        final TokenKey headerKey;
        final Answer refusal;
        final String refusalReason;

        Plan(
                TokenKey primary,
                Map<TokenKey, Token> tokens,
                List<String[]> query,
                List<TokenKey> occurrences,
                TokenKey headerKey) {
            this.primary = primary;
            this.tokens = tokens;
            this.query = query;
            this.occurrences = occurrences;
            this.headerKey = headerKey;
            this.refusal = null;
            this.refusalReason = null;
        }

        Plan(Answer refusal, String reason) {
            this.primary = null;
            this.tokens = Map.of();
            this.query = List.of();
            this.occurrences = List.of();
            this.headerKey = null;
            this.refusal = refusal;
            this.refusalReason = reason;
        }

        Plan withToken(TokenKey key, Token token) {
            Map<TokenKey, Token> updated = new LinkedHashMap<>(tokens);
            updated.put(key, token);
            return new Plan(primary, updated, query, occurrences, headerKey);
        }

        /** The query as it goes upstream: every tokencast credential replaced by its key's token. */
        String upstreamQuery() {
            StringBuilder out = new StringBuilder();
            boolean headerApplied = false;
            int occurrence = 0;
            for (String[] pair : query) {
                String raw = pair[0];
                String name = pair[1];
                if (CREDENTIAL_PARAMS.contains(name)) {
                    TokenKey key = occurrences.get(occurrence++);
                    if (headerKey != null && name.equals(param(headerKey))) {
                        key = headerKey;
                        headerApplied = true;
                    }
                    if (key != null) {
                        append(
                                out,
                                name + "=" + URLEncoder.encode(tokens.get(key).value(), StandardCharsets.UTF_8));
                        continue;
                    }
                }
                append(out, raw);
            }
            if (headerKey != null && !headerApplied) {
                append(
                        out,
                        param(headerKey) + "="
                                + URLEncoder.encode(tokens.get(headerKey).value(), StandardCharsets.UTF_8));
            }
            return out.toString();
        }

        private static void append(StringBuilder out, String pair) {
            if (!out.isEmpty()) {
                out.append('&');
            }
            out.append(pair);
        }
    }

    private static String param(TokenKey key) {
        return key.kind() == TokenKind.WECHAT_COMPONENT_ACCESS_TOKEN ? "component_access_token" : "access_token";
    }

    private Plan plan(Request request, GatewayRoutes.Route route) {
        List<String[]> query = new ArrayList<>();
        String rawQuery = request.getHttpURI().getQuery();
        List<TokenKey> occurrences = new ArrayList<>();
        Map<TokenKey, Token> tokens = new LinkedHashMap<>();
        TokenKey primary = null;
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String raw : rawQuery.split("&")) {
                if (raw.isEmpty()) {
                    continue;
                }
                int eq = raw.indexOf('=');
                String name;
                String value;
                try {
                    name = URLDecoder.decode(eq < 0 ? raw : raw.substring(0, eq), StandardCharsets.UTF_8);
                    value = eq < 0 ? "" : URLDecoder.decode(raw.substring(eq + 1), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return new Plan(WeChatReplies.error(40097, "the query string cannot be decoded"), "bad-request");
                }
                query.add(new String[] {raw, name});
                if (!CREDENTIAL_PARAMS.contains(name)) {
                    continue;
                }
                if (value.isEmpty()) {
                    occurrences.add(null);
                    continue;
                }
                PresentedCredentials.Resolution resolution = presented.resolve(value);
                if (resolution instanceof PresentedCredentials.Resolution.Key k) {
                    Answer unservable = current(k.key(), tokens);
                    if (unservable != null) {
                        return new Plan(unservable, "unservable");
                    }
                    occurrences.add(k.key());
                    if (primary == null) {
                        primary = k.key();
                    }
                } else if (resolution instanceof PresentedCredentials.Resolution.Refused r) {
                    return new Plan(WeChatReplies.error(r.errcode(), r.why()), "credential-" + r.errcode());
                } else if (route == GatewayRoutes.Route.OPEN) {
                    occurrences.add(null); // a user's OAuth token, say: not ours, passed through untouched
                } else {
                    return new Plan(
                            WeChatReplies.error(
                                    40014, "the " + name + " is neither a handle nor a token this sidecar handed out"),
                            "credential-40014");
                }
            }
        }
        TokenKey headerKey = null;
        String header = request.getHeaders().get(KEY_HEADER);
        if (header != null) {
            if (!config.keyHeader()) {
                return new Plan(
                        WeChatReplies.error(40014, KEY_HEADER + " is disabled on this sidecar"), "credential-40014");
            }
            if (shared.required() && !shared.admits(headerCall(request), null)) {
                return new Plan(
                        WeChatReplies.error(40014, KEY_HEADER + " needs this sidecar's shared token"),
                        "credential-40014");
            }
            if (presented.clientsConfigured()) {
                return new Plan(
                        WeChatReplies.error(
                                40014,
                                KEY_HEADER + " is not accepted where client credentials are"
                                        + " configured; use a handle"),
                        "credential-40014");
            }
            try {
                headerKey = TokenKey.parse(header.strip());
            } catch (RuntimeException e) {
                return new Plan(
                        WeChatReplies.error(40014, KEY_HEADER + " is not a token key: " + e.getMessage()),
                        "credential-40014");
            }
            if (!isAccessTokenKind(headerKey.kind())) {
                return new Plan(
                        WeChatReplies.error(40014, headerKey.kind() + " is a ticket, not an access token"),
                        "credential-40014");
            }
            Answer unservable = current(headerKey, tokens);
            if (unservable != null) {
                return new Plan(unservable, "unservable");
            }
            primary = headerKey;
        }
        if (primary == null && route != GatewayRoutes.Route.OPEN) {
            return new Plan(
                    WeChatReplies.error(41001, "neither a handle, a token nor " + KEY_HEADER + " names the account"),
                    "credential-41001");
        }
        return new Plan(primary, tokens, query, occurrences, headerKey);
    }

    private static boolean isAccessTokenKind(TokenKind kind) {
        return kind != TokenKind.WECHAT_JSAPI_TICKET && kind != TokenKind.WECHAT_CARD_TICKET;
    }

    /** Puts the key's current token in {@code tokens}; the local answer when there is none to use. */
    private Answer current(TokenKey key, Map<TokenKey, Token> tokens) {
        if (tokens.containsKey(key)) {
            return null;
        }
        Lookup found = lookup.find(key);
        if (found instanceof Lookup.Served served) {
            tokens.put(key, served.token());
            return null;
        }
        Lookup.Unservable u = (Lookup.Unservable) found;
        return u.why() == Lookup.Why.UNKNOWN || u.why() == Lookup.Why.REMOVED
                ? WeChatReplies.error(40014, "no token for " + key + " is served by this sidecar")
                : WeChatReplies.error(-1, u.reason());
    }

    private static HttpCall headerCall(Request request) {
        HttpFields headers = request.getHeaders();
        return new HttpCall(request.getMethod(), "", Map.of(), headers::get, new byte[0], java.util.Optional.empty());
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
            Request request, Plan plan, byte[] replay, Content.Source stream, String path, String rawPath) {
        Attempt attempt = new Attempt();
        long t0 = System.nanoTime();
        URI base = routes.upstream(path, plan.primary == null ? null : plan.primary.kind());
        attempt.upstream = base;
        String query = plan.primary == null && plan.query.isEmpty() ? null : plan.upstreamQuery();
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
        out.errcode = errcode(head);
        return out;
    }

    /** The errcode of a JSON object, 0 when there is none or the body is not JSON. */
    static int errcode(byte[] body) {
        int i = 0;
        while (i < body.length && Character.isWhitespace(body[i])) {
            i++;
        }
        if (i >= body.length || body[i] != '{') {
            return 0;
        }
        try {
            tools.jackson.databind.JsonNode node = Json.MAPPER.readTree(body);
            tools.jackson.databind.JsonNode code = node == null ? null : node.get("errcode");
            return code != null && code.isNumber() ? code.asInt() : 0;
        } catch (RuntimeException e) {
            return 0;
        }
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
            Plan plan,
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
            failOrAnswer(response, callback, tooLarge().withHeader("Connection", "close"));
            return;
        }
        String host = routes.upstream("", plan.primary == null ? null : plan.primary.kind())
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

    private static Answer tooLarge() {
        return WeChatReplies.error(
                        40006,
                        "the request body is larger than tokencast.sidecar.gateway.max-media-size; it was not forwarded")
                .withStatus(413);
    }

    // ---- rotation

    /**
     * Reports {@code used} (once per fingerprint, whoever else saw it refused) and waits, bounded, for a token
     * of the same key with another fingerprint; null when none arrived in time.
     */
    private Token reportAndAwait(Token used, int errcode) {
        CompletableFuture<Token> next = lookup.waiters()
                .await(
                        used.key(),
                        t -> !t.fingerprint().equals(used.fingerprint()),
                        config.rotationWait(),
                        () -> lookup.held(used.key()));
        if (reported.putIfAbsent(used.fingerprint(), Boolean.TRUE) == null) {
            if (reported.size() > 10_000) {
                reported.clear();
                reported.put(used.fingerprint(), Boolean.TRUE);
            }
            try {
                lookup.view().reportInvalid(used, errcode);
                metrics.report("sent");
                log.info(
                        "gateway reported a refused token key={} fingerprint={} errcode={}",
                        used.key(),
                        used.fingerprint(),
                        errcode);
            } catch (RuntimeException e) {
                metrics.report("failed");
                log.warn("gateway could not report key={} cause={}", used.key(), e.toString());
            }
        } else {
            metrics.report("coalesced");
        }
        try {
            return next.get(config.rotationWait().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | TimeoutException e) {
            return null;
        }
    }

    // ---- local answers

    private void refuse(
            Request request, Response response, Callback callback, String template, String reason, Answer answer) {
        metrics.refusal(template, reason);
        failOrAnswer(response, callback, answer);
    }

    private static void failOrAnswer(Response response, Callback callback, Answer answer) {
        if (response.isCommitted()) {
            callback.failed(new IOException("the answer was already under way"));
            return;
        }
        try {
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

    /** The request's path or query makes no valid upstream URI. */
    private static final class InvalidTarget extends RuntimeException {
        InvalidTarget() {
            super("the path or query is not a valid URI", null, false, false);
        }
    }

    /** A request body that fails once more than {@code max} bytes have passed: media beyond the cap. */
    static final class CappedSource implements Content.Source {
        private final Content.Source delegate;
        private final long max;
        private long seen;

        CappedSource(Content.Source delegate, long max) {
            this.delegate = delegate;
            this.max = max;
        }

        @Override
        public Content.Chunk read() {
            Content.Chunk chunk = delegate.read();
            if (chunk == null || Content.Chunk.isFailure(chunk)) {
                return chunk;
            }
            seen += chunk.remaining();
            if (seen > max) {
                chunk.release();
                TooLarge failure = new TooLarge();
                delegate.fail(failure);
                return Content.Chunk.from(failure, true);
            }
            return chunk;
        }

        @Override
        public long getLength() {
            return delegate.getLength();
        }

        @Override
        public void demand(Runnable demandCallback) {
            delegate.demand(demandCallback);
        }

        @Override
        public void fail(Throwable failure) {
            delegate.fail(failure);
        }

        static final class TooLarge extends IOException {
            TooLarge() {
                super("the request body is larger than tokencast.sidecar.gateway.max-media-size", null);
            }
        }
    }
}
