package io.tokencast.refresher.wechat;

import io.tokencast.refresher.wechat.WeChatException.Retry;
import io.tokencast.schema.Fingerprint;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Fetches access tokens from WeChat ({@code /cgi-bin/token}, {@code /cgi-bin/stable_token}) and WeCom
 * ({@code /cgi-bin/gettoken}) over HTTP. Public so end-to-end tests can point one at the WeChat sandbox;
 * the service gets it as a {@link CredentialSource} bean. Thread-safe.
 */
public final class WeChatHttpClient implements CredentialSource {

    /**
     * One WeChat host.
     *
     * @param baseUrl e.g. {@code https://api.weixin.qq.com}
     * @param timeout how long to wait for a connection and then for the answer
     */
    /** WeChat's production host for official accounts and mini programs. */
    public static final URI WECHAT_DEFAULT_URL = URI.create("https://api.weixin.qq.com");

    /** WeCom's production host. */
    public static final URI WECOM_DEFAULT_URL = URI.create("https://qyapi.weixin.qq.com");

    public record Host(URI baseUrl, Duration timeout) {
        public Host {
            Objects.requireNonNull(baseUrl, "baseUrl");
            Objects.requireNonNull(timeout, "timeout");
        }
    }

    private static final Logger log = LoggerFactory.getLogger(WeChatHttpClient.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Host wechat;
    private final Host wecom;
    private final Clock clock;
    private final HttpClient http;

    /** A client for WeChat (official accounts, mini programs) and WeCom; tokens are dated by {@code clock}. */
    public WeChatHttpClient(Host wechat, Host wecom, Clock clock) {
        this.wechat = Objects.requireNonNull(wechat, "wechat");
        this.wecom = Objects.requireNonNull(wecom, "wecom");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.http = HttpClient.newBuilder()
                .connectTimeout(max(wechat.timeout(), wecom.timeout()))
                // Token calls are rare; HTTP/1.1 avoids the h2c upgrade dance against plain-http proxies.
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public FetchedToken fetch(ManagedCredential credential, FetchMode mode) {
        Objects.requireNonNull(credential, "credential");
        Objects.requireNonNull(mode, "mode");
        TokenRequest request = TokenRequest.of(credential, mode, wechat, wecom);
        // Wall time of the call for the log line only; the token's dates come from the injected clock.
        long started = System.nanoTime();
        try {
            HttpResponse<String> response =
                    http.send(request.httpRequest(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            FetchedToken token = parse(request, response);
            log.debug(
                    "fetched key={} api={} mode={} durationMs={} fingerprint={} expiresInS={}",
                    credential.key(),
                    credential.api(),
                    mode,
                    elapsedMs(started),
                    Fingerprint.of(token.token()),
                    token.expiresIn().toSeconds());
            return token;
        } catch (WeChatException e) {
            logFailure(request, started, e);
            throw e;
        } catch (HttpTimeoutException e) {
            throw logFailure(request, started, transportFailure(request, "TIMEOUT", "timed out", e));
        } catch (IOException e) {
            throw logFailure(request, started, transportFailure(request, "IO", "could not reach", e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw logFailure(request, started, transportFailure(request, "IO", "was interrupted calling", e));
        }
    }

    private FetchedToken parse(TokenRequest request, HttpResponse<String> response) {
        int status = response.statusCode();
        if (status >= 500 || status == 429) {
            throw request.failure("HTTP_" + status, Retry.BACKOFF, "WeChat answered HTTP " + status);
        }
        if (status < 200 || status >= 300) {
            throw request.failure(
                    "HTTP_" + status,
                    Retry.STOP,
                    "WeChat answered HTTP " + status + ": check tokencast." + request.hostProperty() + ".api-base-url");
        }
        // The content type of WeChat's answers is unreliable (text/plain errors), so the body decides.
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (JacksonException e) {
            throw badResponse(request, response, "is not JSON");
        }
        if (body == null || !body.isObject()) {
            throw badResponse(request, response, "is not a JSON object");
        }
        int errcode = errcode(request, response, body);
        if (errcode != 0) {
            String errmsg = request.redact(body.path("errmsg").asString(""));
            throw request.failure(
                    String.valueOf(errcode),
                    ErrorCodes.classify(errcode),
                    "WeChat answered errcode=" + errcode + " errmsg='" + errmsg + "': " + ErrorCodes.hint(errcode));
        }
        JsonNode token = body.path("access_token");
        JsonNode expiresIn = body.path("expires_in");
        if (!token.isString() || token.stringValue().isBlank()) {
            throw badResponse(request, response, "has no access_token");
        }
        if (!expiresIn.canConvertToInt() || expiresIn.asInt() <= 0) {
            throw badResponse(request, response, "has no positive expires_in");
        }
        return new FetchedToken(token.stringValue(), Duration.ofSeconds(expiresIn.asInt()), clock.instant());
    }

    private static int errcode(TokenRequest request, HttpResponse<String> response, JsonNode body) {
        JsonNode errcode = body.path("errcode");
        if (errcode.isMissingNode() || errcode.isNull()) {
            return 0;
        }
        if (errcode.isIntegralNumber() && errcode.canConvertToInt()) {
            return errcode.asInt();
        }
        if (errcode.isString()) {
            try {
                return Integer.parseInt(errcode.stringValue().trim());
            } catch (NumberFormatException e) {
                throw badResponse(request, response, "has a non-numeric errcode");
            }
        }
        throw badResponse(request, response, "has a non-numeric errcode");
    }

    /** The body itself stays out of the message: a half-broken body may still carry a token. */
    private static WeChatException badResponse(TokenRequest request, HttpResponse<String> response, String problem) {
        return request.failure(
                "BAD_RESPONSE",
                Retry.BACKOFF,
                "WeChat answered HTTP " + response.statusCode() + " with a body that " + problem + " ("
                        + response.body().length() + " chars)");
    }

    /**
     * Transport exceptions of java.net.http may quote the request URI, whose query holds the secret for
     * the classic and WeCom endpoints; so neither their message nor the exception itself (whose stack
     * trace would print it) goes into ours, only the class names of the cause chain.
     */
    private static WeChatException transportFailure(TokenRequest request, String code, String verb, Exception e) {
        StringBuilder causes = new StringBuilder(e.getClass().getName());
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            causes.append(" <- ").append(t.getClass().getName());
        }
        return request.failure(code, Retry.BACKOFF, "tokencast " + verb + " WeChat (" + causes + ")");
    }

    private static WeChatException logFailure(TokenRequest request, long started, WeChatException e) {
        log.debug(
                "fetch failed key={} api={} mode={} durationMs={} errorCode={} retry={}",
                request.credential().key(),
                request.credential().api(),
                request.mode(),
                elapsedMs(started),
                e.errorCode(),
                e.retry());
        return e;
    }

    private static long elapsedMs(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** One token call: the HTTP request plus what is needed to describe it without its secret. */
    private record TokenRequest(
            ManagedCredential credential, FetchMode mode, HttpRequest httpRequest, String hostProperty) {

        static TokenRequest of(ManagedCredential credential, FetchMode mode, Host wechat, Host wecom) {
            return switch (credential.api()) {
                case CLASSIC -> new TokenRequest(
                        credential,
                        mode,
                        get(
                                wechat,
                                "/cgi-bin/token?grant_type=client_credential&appid="
                                        + encode(credential.key().account())
                                        + "&secret=" + encode(credential.secret())),
                        "wechat");
                case STABLE -> new TokenRequest(credential, mode, stable(wechat, credential, mode), "wechat");
                case WECOM -> new TokenRequest(credential, mode, wecomGet(wecom, credential), "wecom");
                case COMPONENT, AUTHORIZER, JSAPI_TICKET, CARD_TICKET -> throw new WeChatException(
                        "UNSUPPORTED_API",
                        Retry.STOP,
                        credential.key() + " (api=" + credential.api() + ") is fetched by the open platform sources,"
                                + " not by this client");
            };
        }

        private static HttpRequest stable(Host host, ManagedCredential credential, FetchMode mode) {
            ObjectNode body = JSON.createObjectNode()
                    .put("grant_type", "client_credential")
                    .put("appid", credential.key().account())
                    .put("secret", credential.secret())
                    .put("force_refresh", mode == FetchMode.FORCE);
            return HttpRequest.newBuilder(resolve(host, "/cgi-bin/stable_token"))
                    .timeout(host.timeout())
                    .header("Content-Type", "application/json; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body), StandardCharsets.UTF_8))
                    .build();
        }

        private static HttpRequest wecomGet(Host host, ManagedCredential credential) {
            String account = credential.key().account();
            int dot = account.indexOf('.');
            if (dot <= 0 || dot == account.length() - 1) {
                throw new WeChatException(
                        "BAD_ACCOUNT",
                        Retry.STOP,
                        "WeCom credential " + credential.key() + " must be named corpid.agentid, e.g."
                                + " wecom-access-token/ww0123456789abcdef.1000002");
            }
            // A corpid has no dots, an agentid is a number: the first dot separates them.
            String corpid = account.substring(0, dot);
            return get(
                    host, "/cgi-bin/gettoken?corpid=" + encode(corpid) + "&corpsecret=" + encode(credential.secret()));
        }

        private static HttpRequest get(Host host, String pathAndQuery) {
            return HttpRequest.newBuilder(resolve(host, pathAndQuery))
                    .timeout(host.timeout())
                    .GET()
                    .build();
        }

        private static URI resolve(Host host, String pathAndQuery) {
            String base = host.baseUrl().toString();
            return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + pathAndQuery);
        }

        private static String encode(String value) {
            return URLEncoder.encode(value, StandardCharsets.UTF_8);
        }

        /** Method, host and path: enough to find the call, without the query that holds the secret. */
        String target() {
            URI uri = httpRequest.uri();
            String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
            return httpRequest.method() + " " + uri.getScheme() + "://" + uri.getHost() + port + uri.getRawPath();
        }

        /** Strips the secret (raw and URL-encoded) from text WeChat sent back, should it ever echo it. */
        String redact(String text) {
            String out = text.replace(credential.secret(), "<redacted>");
            String encoded = encode(credential.secret());
            return out.replace(encoded, "<redacted>");
        }

        WeChatException failure(String code, Retry retry, String cause) {
            return new WeChatException(
                    code,
                    retry,
                    "fetching " + credential.key() + " (api=" + credential.api() + ", mode=" + mode + ") from "
                            + target() + " failed: " + cause);
        }
    }
}
