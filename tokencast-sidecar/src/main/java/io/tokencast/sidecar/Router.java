package io.tokencast.sidecar;

import io.tokencast.consumer.SignatureVerification;
import io.tokencast.schema.InvalidTokenKeyException;
import io.tokencast.schema.TokenKey;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP edge: parses each request into an {@link HttpCall} (capped body, decoded query), routes it, and
 * writes the {@link Answer} back without holding a thread while a long poll or report waits. Never logs a
 * query string or a body: SDKs put secrets in both.
 */
final class Router extends Handler.Abstract.NonBlocking {

    private static final Logger log = LoggerFactory.getLogger(Router.class);
    private static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";
    /** An oversized body up to this size is read and dropped before the 413, so its caller sees the answer. */
    private static final long DRAIN_LIMIT = 1024 * 1024;

    private final TokensApi tokens;
    private final WeChatApi wechat;
    private final WeComTickets wecomTickets;
    private final SharedToken shared;
    private final WeComAgents agents;
    private final SidecarMetrics metrics;
    private final BooleanSupplier serving;
    private final int maxBodyBytes;
    private final Gateway gateway;

    Router(
            TokensApi tokens,
            WeChatApi wechat,
            WeComTickets wecomTickets,
            SharedToken shared,
            SidecarConfig config,
            SidecarMetrics metrics,
            BooleanSupplier serving,
            Gateway gateway) {
        this.tokens = tokens;
        this.wechat = wechat;
        this.wecomTickets = wecomTickets;
        this.shared = shared;
        this.agents = new WeComAgents(config.wecomAgents());
        this.metrics = metrics;
        this.serving = serving;
        this.maxBodyBytes = config.maxBodyBytes();
        this.gateway = gateway;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long started = System.nanoTime();
        String decoded = request.getHttpURI().getDecodedPath();
        String fullPath = decoded == null ? "/" : decoded;
        Optional<WeComAgent> agent = agents.byPathPrefix(fullPath);
        int prefix = agent.isPresent() ? agent.get().pathPrefix().orElseThrow().length() : 0;
        String path = prefix == 0 ? fullPath : fullPath.substring(prefix);
        Endpoint endpoint = Endpoint.of(path);
        if (gateway != null) {
            Answer refused = GatewayRefusals.transport(request);
            if (refused != null) {
                write(response, callback, Endpoint.GATEWAY, started, refused);
                return true;
            }
            if (endpoint == Endpoint.NOT_FOUND) {
                // Not a token endpoint: a WeChat API call to forward, body streamed, answered by the gateway.
                String raw = request.getHttpURI().getPath();
                gateway.handle(request, response, callback, path, prefix == 0 ? raw : raw.substring(prefix));
                return true;
            }
        }
        long length = request.getLength();
        if (endpoint == Endpoint.TOKEN_GET && length <= 0 && tokenGet(request, response, callback, path, started)) {
            return true;
        }
        if (length > maxBodyBytes) {
            if (length <= DRAIN_LIMIT) {
                // Read and drop the body first: a client still sending when the connection closes never sees
                // the 413. Larger ones are refused at once, and Jetty closes the connection.
                Content.Source.consumeAll(
                        request,
                        Callback.from(
                                () -> write(response, callback, endpoint, started, EdgeAnswers.tooLarge(endpoint)),
                                failure ->
                                        write(response, callback, endpoint, started, EdgeAnswers.tooLarge(endpoint))));
            } else {
                write(response, callback, endpoint, started, EdgeAnswers.tooLarge(endpoint));
            }
            return true;
        }
        HttpFields headers = request.getHeaders();
        Map<String, String> query;
        try {
            query = query(request);
        } catch (RuntimeException e) {
            write(
                    response,
                    callback,
                    endpoint,
                    started,
                    EdgeAnswers.orError(
                            endpoint,
                            null,
                            new TokensApi.BadRequest("the query string cannot be decoded ("
                                    + e.getClass().getSimpleName() + ")")));
            return true;
        }
        String method = request.getMethod();
        if (length == 0 || "GET".equals(method)) {
            dispatch(new HttpCall(method, path, query, headers::get, new byte[0], agent), endpoint)
                    .whenComplete((answer, failure) -> write(
                            response, callback, endpoint, started, EdgeAnswers.orError(endpoint, answer, failure)));
            return true;
        }
        // One byte over the cap: a chunked body without a length is only known to be too large once read.
        Content.Source.asByteArrayAsync(request, maxBodyBytes + 1)
                .handle((body, failure) -> failure != null
                        ? done(EdgeAnswers.unreadable(endpoint, failure))
                        : body.length > maxBodyBytes
                                ? done(EdgeAnswers.tooLarge(endpoint))
                                : dispatch(new HttpCall(method, path, query, headers::get, body, agent), endpoint))
                .thenCompose(answer -> answer)
                .whenComplete((answer, failure) ->
                        write(response, callback, endpoint, started, EdgeAnswers.orError(endpoint, answer, failure)));
        return true;
    }

    /**
     * The hot path of a polling service: a plain {@code GET /v1/tokens/{kind}/{account}} (no query, no shared
     * token) of a key served now is answered from its prepared representation, without parsing a query or
     * building an {@link HttpCall}. False when the request is anything else; the general path answers it then.
     */
    private boolean tokenGet(Request request, Response response, Callback callback, String path, long started) {
        if (!"GET".equals(request.getMethod()) || request.getHttpURI().getQuery() != null || shared.required()) {
            return false;
        }
        TokenRepresentations.Representation representation;
        try {
            representation = tokens.current(TokenKey.parse(path.substring("/v1/tokens/".length())));
        } catch (RuntimeException e) {
            return false; // a bad key, or a failure: the general path answers both in its shape
        }
        if (representation == null) {
            return false;
        }
        String ifNoneMatch = request.getHeaders().get(HttpHeader.IF_NONE_MATCH);
        if (ifNoneMatch != null && TokensApi.matches(ifNoneMatch, representation.etag())) {
            write(response, callback, Endpoint.TOKEN_GET, started, TokensApi.notModified(representation.etag()));
            return true;
        }
        try {
            representation.writeTo(response, callback);
        } catch (RuntimeException e) {
            callback.failed(e);
        } finally {
            answered(Endpoint.TOKEN_GET, 200, started);
        }
        return true;
    }

    private CompletableFuture<Answer> dispatch(HttpCall call, Endpoint endpoint) {
        try {
            return switch (endpoint) {
                case TOKEN_GET, TOKEN_INVALID -> ownApi(call, endpoint);
                case WECHAT_TOKEN -> done(wechat.token(call));
                case WECHAT_STABLE_TOKEN -> wechat.stableToken(call);
                case WECOM_GETTOKEN -> done(wechat.wecomToken(call));
                case WECHAT_TICKET -> done(wechat.ticket(call));
                case WECOM_JSAPI_TICKET -> done(wecomTickets.corpTicket(call));
                case WECOM_AGENT_TICKET -> done(wecomTickets.agentTicket(call));
                case COMPONENT_TOKEN -> done(wechat.componentToken(call));
                case AUTHORIZER_TOKEN -> done(wechat.authorizerToken(call));
                case HEALTH -> done(health(call.path()));
                case METRICS -> done(new Answer(200, PROMETHEUS, metricsBytes(), Map.of()));
                case GATEWAY, NOT_FOUND -> done(EdgeAnswers.notFound(call.path()));
            };
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletableFuture<Answer> ownApi(HttpCall call, Endpoint endpoint) {
        if (!shared.admits(call, null)) {
            return done(Answer.problem(
                            401,
                            "unauthorized",
                            "this sidecar requires its shared token in"
                                    + " 'Authorization: Bearer …' or 'X-Tokencast-Token'")
                    .withHeader("WWW-Authenticate", "Bearer"));
        }
        String rest = call.path().substring("/v1/tokens/".length());
        if (endpoint == Endpoint.TOKEN_INVALID) {
            rest = rest.substring(0, rest.length() - "/invalid".length());
        }
        TokenKey key;
        try {
            key = TokenKey.parse(rest);
        } catch (InvalidTokenKeyException e) {
            return done(Answer.problem(400, "bad-key", e.getMessage()));
        }
        if (endpoint == Endpoint.TOKEN_GET) {
            return call.isGet()
                    ? tokens.get(call, key)
                    : done(Answer.problem(405, "method-not-allowed", "use GET").withHeader("Allow", "GET"));
        }
        return call.isPost()
                ? tokens.invalid(call, key)
                : done(Answer.problem(405, "method-not-allowed", "use POST").withHeader("Allow", "POST"));
    }

    private Answer health(String path) {
        if (path.equals("/health/live")) {
            return Answer.json(200, Map.of("status", "UP"));
        }
        SignatureVerification verification = tokens.signatureVerification();
        Map<String, Object> signatures =
                Json.fields("signatureVerification", verification.state(), "cryptoProvider", verification.provider());
        return serving.getAsBoolean()
                ? Answer.json(200, Json.fields("status", "UP", "signatures", signatures))
                : Answer.json(
                        503,
                        Json.fields(
                                "status",
                                "DOWN",
                                "reason",
                                "the token view has not read the tokens"
                                        + " topic to its end yet, or the sidecar is shutting down",
                                "signatures",
                                signatures));
    }

    private byte[] metricsBytes() {
        return metrics.scrape().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private void write(Response response, Callback callback, Endpoint endpoint, long started, Answer answer) {
        try {
            response.setStatus(answer.status());
            HttpFields.Mutable headers = response.getHeaders();
            if (answer.contentType() != null) {
                headers.put(HttpHeader.CONTENT_TYPE, answer.contentType());
            }
            answer.headers().forEach(headers::put);
            headers.put(HttpHeader.CONTENT_LENGTH, answer.body().length);
            response.write(true, ByteBuffer.wrap(answer.body()), callback);
        } catch (RuntimeException e) {
            callback.failed(e);
        } finally {
            answered(endpoint, answer.status(), started);
        }
    }

    private void answered(Endpoint endpoint, int status, long started) {
        long nanos = System.nanoTime() - started;
        metrics.request(endpoint, status, nanos);
        if (log.isDebugEnabled()) {
            log.debug("request endpoint={} status={} micros={}", endpoint, status, nanos / 1000);
        }
    }

    private static Map<String, String> query(Request request) {
        Fields fields = Request.extractQueryParameters(request);
        if (fields.getSize() == 0) {
            return Map.of();
        }
        Map<String, String> out = new HashMap<>();
        for (Fields.Field field : fields) {
            out.put(field.getName(), field.getValue());
        }
        return out;
    }

    private static CompletableFuture<Answer> done(Answer answer) {
        return CompletableFuture.completedFuture(answer);
    }
}
