package io.tokencast.sidecar;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One HTTP answer. Every answer that carries a token is {@code Cache-Control: no-store}: no proxy or client
 * cache should keep a credential past the sidecar's own judgement of it.
 */
record Answer(int status, String contentType, byte[] body, Map<String, String> headers) {

    static final String JSON = "application/json; charset=utf-8";
    static final String TEXT = "text/plain; charset=utf-8";

    static Answer json(int status, Object value) {
        return new Answer(status, JSON, Json.MAPPER.writeValueAsBytes(value), Map.of("Cache-Control", "no-store"));
    }

    static Answer text(int status, String text) {
        return new Answer(status, TEXT, text.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    static Answer empty(int status, Map<String, String> headers) {
        return new Answer(status, null, new byte[0], headers);
    }

    /** tokencast's own error shape: {@code {"error":…,"reason":…}}. */
    static Answer problem(int status, String error, String reason) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("reason", reason);
        return json(status, body);
    }

    Answer withStatus(int newStatus) {
        return new Answer(newStatus, contentType, body, headers);
    }

    Answer withHeader(String name, String value) {
        Map<String, String> merged = new LinkedHashMap<>(headers);
        merged.put(name, value);
        return new Answer(status, contentType, body, Map.copyOf(merged));
    }
}
