package io.tokencast.refresher.openplatform;

import io.tokencast.refresher.wechat.WeChatException;
import io.tokencast.refresher.wechat.WeChatException.Retry;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Calls WeChat's open platform and ticket endpoints and returns the JSON body of a 2xx answer, with its
 * errcode still to be judged by the caller. Query strings carry access tokens, so no URL, request or
 * transport-exception message ever goes into an exception: only method, path and class names.
 */
final class OpenPlatformHttp {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI baseUrl;
    private final Duration timeout;
    private final HttpClient http;

    OpenPlatformHttp(URI baseUrl, Duration timeout) {
        this.baseUrl = baseUrl;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** A JSON object to fill as a request body. */
    static ObjectNode body() {
        return JSON.createObjectNode();
    }

    /** POSTs {@code body} as JSON to {@code path} with the query parameters; {@code what} names the call in errors. */
    JsonNode post(String what, String path, Map<String, String> query, ObjectNode body) {
        HttpRequest request = HttpRequest.newBuilder(uri(path, query))
                .timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body), StandardCharsets.UTF_8))
                .build();
        return send(what, "POST " + path, request);
    }

    /** GETs {@code path} with the query parameters. */
    JsonNode get(String what, String path, Map<String, String> query) {
        HttpRequest request =
                HttpRequest.newBuilder(uri(path, query)).timeout(timeout).GET().build();
        return send(what, "GET " + path, request);
    }

    /** WeChat's errcode in a body, 0 when absent. */
    static int errcode(JsonNode body) {
        JsonNode errcode = body.path("errcode");
        if (errcode.isMissingNode() || errcode.isNull()) {
            return 0;
        }
        if (errcode.isIntegralNumber() && errcode.canConvertToInt()) {
            return errcode.asInt();
        }
        try {
            return Integer.parseInt(errcode.asString("").trim());
        } catch (NumberFormatException e) {
            return Integer.MIN_VALUE;
        }
    }

    /** A required text field of a successful answer. */
    static String text(JsonNode body, String field, String what) {
        JsonNode value = body.path(field);
        if (!value.isString() || value.stringValue().isBlank()) {
            throw new WeChatException("BAD_RESPONSE", Retry.BACKOFF, what + " failed: WeChat's answer has no " + field);
        }
        return value.stringValue();
    }

    /** {@code expires_in} of a successful answer. */
    static Duration expiresIn(JsonNode body, String what) {
        JsonNode value = body.path("expires_in");
        if (!value.canConvertToInt() || value.asInt() <= 0) {
            throw new WeChatException(
                    "BAD_RESPONSE", Retry.BACKOFF, what + " failed: WeChat's answer has no positive expires_in");
        }
        return Duration.ofSeconds(value.asInt());
    }

    private JsonNode send(String what, String target, HttpRequest request) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
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
                    what + " failed: " + target + " answered HTTP " + status + "; check tokencast.wechat.api-base-url");
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (JacksonException e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            // The body stays out of the message: a half-broken body may still carry a token.
            throw new WeChatException(
                    "BAD_RESPONSE",
                    Retry.BACKOFF,
                    what + " failed: " + target + " answered a body that is not a JSON object ("
                            + response.body().length() + " chars)");
        }
        return body;
    }

    private static WeChatException transport(String what, String target, String code, String verb, Exception e) {
        StringBuilder causes = new StringBuilder(e.getClass().getName());
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            causes.append(" <- ").append(t.getClass().getName());
        }
        return new WeChatException(
                code, Retry.BACKOFF, what + " failed: tokencast " + verb + " " + target + " (" + causes + ")");
    }

    private URI uri(String path, Map<String, String> query) {
        String base = baseUrl.toString();
        String root = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        String q = new LinkedHashMap<>(query)
                .entrySet().stream()
                        .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                        .collect(Collectors.joining("&"));
        return URI.create(root + path + (q.isEmpty() ? "" : "?" + q));
    }
}
