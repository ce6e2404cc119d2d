package io.tokencast.sidecar;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The container health check: {@code SidecarMain --probe=http://127.0.0.1:8089/health/ready} exits 0 when the
 * sidecar answers 200 within two seconds, 1 otherwise. A JRE image has no curl; this needs nothing else.
 */
final class HealthProbe {

    private HealthProbe() {}

    static int probe(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            System.err.println("tokencast-sidecar probe: not a URL: " + url);
            return 2;
        }
        try {
            HttpResponse<Void> response = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(2))
                    .build()
                    .send(
                            HttpRequest.newBuilder(uri)
                                    .timeout(Duration.ofSeconds(2))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() == 200) {
                return 0;
            }
            System.err.println("tokencast-sidecar probe: " + uri + " answered " + response.statusCode());
            return 1;
        } catch (Exception e) {
            System.err.println("tokencast-sidecar probe: " + uri + " did not answer: " + e);
            return 1;
        }
    }
}
