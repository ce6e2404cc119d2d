package io.tokencast.sidecar;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A plain HTTP client for the sidecar, as a Go or Python service would call it. */
final class SidecarClient {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI base;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    SidecarClient(URI base) {
        this.base = base;
    }

    Reply get(String pathAndQuery, String... headers) {
        return send(request(pathAndQuery, headers).GET().build());
    }

    CompletableFuture<Reply> getAsync(String pathAndQuery, String... headers) {
        return http.sendAsync(request(pathAndQuery, headers).GET().build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(Reply::new);
    }

    Reply post(String pathAndQuery, String body, String... headers) {
        return send(postRequest(pathAndQuery, body, headers));
    }

    CompletableFuture<Reply> postAsync(String pathAndQuery, String body, String... headers) {
        return http.sendAsync(postRequest(pathAndQuery, body, headers), HttpResponse.BodyHandlers.ofString())
                .thenApply(Reply::new);
    }

    private HttpRequest postRequest(String pathAndQuery, String body, String... headers) {
        return request(pathAndQuery, headers)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private HttpRequest.Builder request(String pathAndQuery, String... headers) {
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(Duration.ofSeconds(60));
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return builder;
    }

    private Reply send(HttpRequest request) {
        try {
            return new Reply(http.send(request, HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One answer: status, headers and the body parsed as JSON where it is JSON. */
    record Reply(int status, String body, HttpResponse<String> raw) {

        Reply(HttpResponse<String> response) {
            this(response.statusCode(), response.body(), response);
        }

        JsonNode json() {
            return JSON.readTree(body);
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }
}
