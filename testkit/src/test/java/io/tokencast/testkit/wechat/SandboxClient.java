package io.tokencast.testkit.wechat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A plain java.net.http client for the sandbox, as a refresher would talk to WeChat. */
final class SandboxClient {

    static final JsonMapper JSON = JsonMapper.builder().build();

    record Response(int status, String body, JsonNode json) {
        int errcode() {
            return json.path("errcode").asInt(0);
        }

        String text(String field) {
            return json.path(field).asString();
        }

        long expiresIn() {
            return json.path("expires_in").asLong();
        }
    }

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    SandboxClient(URI base) {
        this.base = base;
    }

    Response get(String path, String... params) {
        return send(HttpRequest.newBuilder(uri(path, params)).GET());
    }

    Response postJson(String path, Map<String, ?> body, String... params) {
        return send(HttpRequest.newBuilder(uri(path, params))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    }

    Response post(String path, String contentType, String body, String... params) {
        return send(HttpRequest.newBuilder(uri(path, params))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Sends and returns the raw outcome, for fault tests that expect transport errors. */
    HttpResponse<String> raw(String path, String... params) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path, params)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    Response classicToken(String appid, String secret) {
        return get("/cgi-bin/token", "grant_type", "client_credential", "appid", appid, "secret", secret);
    }

    Response stableToken(String appid, String secret, boolean force) {
        return postJson(
                "/cgi-bin/stable_token",
                Map.of("grant_type", "client_credential", "appid", appid, "secret", secret, "force_refresh", force));
    }

    Response callbackIp(String accessToken) {
        return get("/cgi-bin/getcallbackip", "access_token", accessToken);
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response =
                    http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = response.body().startsWith("{") ? JSON.readTree(response.body()) : JSON.createObjectNode();
            return new Response(response.statusCode(), response.body(), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private URI uri(String path, String... params) {
        Map<String, String> query = new LinkedHashMap<>();
        for (int i = 0; i < params.length; i += 2) {
            query.put(params[i], params[i + 1]);
        }
        String q = query.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        return base.resolve(path + (q.isEmpty() ? "" : "?" + q));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
