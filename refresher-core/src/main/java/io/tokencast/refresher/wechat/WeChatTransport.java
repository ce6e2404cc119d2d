package io.tokencast.refresher.wechat;

import io.tokencast.refresher.wechat.WeChatException.Retry;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one HTTP transport to WeChat: every call tokencast makes to api.weixin.qq.com or qyapi.weixin.qq.com
 * (token fetches, open-platform and ticket calls, token probes) goes through here. It answers the JSON object of
 * a 2xx reply, errcode still to be judged by the caller with {@link ErrorCodes}. Query strings and bodies carry
 * secrets and tokens, so no URL, body or transport-exception message ever reaches an exception: only the
 * method, host, path and the class names of the cause chain. Replies are capped at {@link #MAX_BODY_BYTES}.
 * Thread-safe.
 */
public final class WeChatTransport {

    /** WeChat's token and ticket replies are a few hundred bytes; anything this large is not WeChat. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final WeChatHttpClient.Host host;
    private final HttpClient http;

    public WeChatTransport(WeChatHttpClient.Host host) {
        this.host = Objects.requireNonNull(host, "host");
        this.http = HttpClient.newBuilder()
                .connectTimeout(host.timeout())
                // Token calls are rare; HTTP/1.1 avoids the h2c upgrade dance against plain-http proxies.
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** A JSON object to fill as a request body. */
    public static ObjectNode body() {
        return JSON.createObjectNode();
    }

    /** POSTs {@code body} as JSON to {@code path} with the query parameters; {@code what} names the call in errors. */
    public JsonNode post(String what, String path, Map<String, String> query, ObjectNode body) {
        HttpRequest request = HttpRequest.newBuilder(uri(path, query))
                .timeout(host.timeout())
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body), StandardCharsets.UTF_8))
                .build();
        return send(what, request);
    }

    /** GETs {@code path} with the query parameters. */
    public JsonNode get(String what, String path, Map<String, String> query) {
        HttpRequest request = HttpRequest.newBuilder(uri(path, query))
                .timeout(host.timeout())
                .GET()
                .build();
        return send(what, request);
    }

    /**
     * WeChat's errcode in a reply, 0 when absent. Numbers sent as strings are read; anything else is a reply
     * that is not WeChat's, answered like any other malformed reply (retried with backoff).
     */
    public static int errcode(JsonNode body, String what) {
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
                // falls through to the malformed reply below
            }
        }
        throw new WeChatException("BAD_RESPONSE", Retry.BACKOFF, what + " failed: the reply has a non-numeric errcode");
    }

    /** A required text field of a successful reply. */
    public static String text(JsonNode body, String field, String what) {
        JsonNode value = body.path(field);
        if (!value.isString() || value.stringValue().isBlank()) {
            throw new WeChatException("BAD_RESPONSE", Retry.BACKOFF, what + " failed: the reply has no " + field);
        }
        return value.stringValue();
    }

    /** {@code expires_in} of a successful reply. */
    public static Duration expiresIn(JsonNode body, String what) {
        JsonNode value = body.path("expires_in");
        if (!value.canConvertToInt() || value.asInt() <= 0) {
            throw new WeChatException(
                    "BAD_RESPONSE", Retry.BACKOFF, what + " failed: the reply has no positive expires_in");
        }
        return Duration.ofSeconds(value.asInt());
    }

    private JsonNode send(String what, HttpRequest request) {
        String target = target(request);
        HttpResponse<InputStream> response;
        byte[] bytes;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            }
        } catch (HttpTimeoutException e) {
            throw transport(what, target, "TIMEOUT", "timed out calling", e);
        } catch (IOException e) {
            throw transport(what, target, "IO", "could not reach", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw transport(what, target, "IO", "was interrupted calling", e);
        }
        int status = response.statusCode();
        if (status >= 500 || status == 429) {
            throw new WeChatException(
                    "HTTP_" + status, Retry.BACKOFF, what + " failed: " + target + " answered HTTP " + status);
        }
        if (status < 200 || status >= 300) {
            throw new WeChatException(
                    "HTTP_" + status,
                    Retry.STOP,
                    what + " failed: " + target + " answered HTTP " + status + "; check the api-base-url of"
                            + " tokencast.wechat or tokencast.wecom");
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw badBody(what, target, "is larger than " + MAX_BODY_BYTES + " bytes");
        }
        // The content type of WeChat's answers is unreliable (text/plain errors), so the body decides.
        JsonNode body;
        try {
            body = JSON.readTree(bytes);
        } catch (JacksonException e) {
            throw badBody(what, target, "is not JSON (" + bytes.length + " bytes)");
        }
        if (body == null || !body.isObject()) {
            throw badBody(what, target, "is not a JSON object (" + bytes.length + " bytes)");
        }
        return body;
    }

    /** The body itself stays out of the message: a half-broken body may still carry a token. */
    private static WeChatException badBody(String what, String target, String problem) {
        return new WeChatException(
                "BAD_RESPONSE", Retry.BACKOFF, what + " failed: " + target + " answered a body that " + problem);
    }

    /**
     * Transport exceptions of java.net.http may quote the request URI, whose query holds a secret or a token;
     * so neither their message nor the exception itself (whose stack trace would print it) goes into ours.
     */
    private static WeChatException transport(String what, String target, String code, String verb, Exception e) {
        StringBuilder causes = new StringBuilder(e.getClass().getName());
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            causes.append(" <- ").append(t.getClass().getName());
        }
        return new WeChatException(
                code, Retry.BACKOFF, what + " failed: tokencast " + verb + " " + target + " (" + causes + ")");
    }

    /** Method, host and path: enough to find the call, without the query that holds the secret. */
    private static String target(HttpRequest request) {
        URI uri = request.uri();
        String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
        return request.method() + " " + uri.getScheme() + "://" + uri.getHost() + port + uri.getRawPath();
    }

    private URI uri(String path, Map<String, String> query) {
        String base = host.baseUrl().toString();
        String root = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        String q = query.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return URI.create(root + path + (q.isEmpty() ? "" : "?" + q));
    }
}
