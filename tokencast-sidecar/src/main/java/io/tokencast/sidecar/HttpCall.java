package io.tokencast.sidecar;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * One request as the endpoints see it: parsed at the edge, its body already capped. Query values and bodies
 * may hold secrets an SDK sends, so nothing here is ever logged whole.
 *
 * @param path the path below any WeCom agent prefix
 * @param agent the WeCom agent the path prefix selected, if any
 * @param header a header's value by name, or null
 */
record HttpCall(
        String method,
        String path,
        Map<String, String> query,
        UnaryOperator<String> header,
        byte[] body,
        Optional<WeComAgent> agent) {

    /** A query parameter, or null when absent or empty (WeChat treats both as missing). */
    String param(String name) {
        String value = query.get(name);
        return value == null || value.isEmpty() ? null : value;
    }

    boolean isGet() {
        return "GET".equals(method) || "HEAD".equals(method);
    }

    boolean isPost() {
        return "POST".equals(method);
    }

    /**
     * The body as a JSON object; empty when there is no body.
     *
     * @throws BadBody when the body is not a JSON object
     */
    Optional<JsonNode> json() {
        if (body.length == 0) {
            return Optional.empty();
        }
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            if (node == null || !node.isObject()) {
                throw new BadBody("the body must be a JSON object");
            }
            return Optional.of(node);
        } catch (JacksonException e) {
            throw new BadBody("the body is not valid JSON (" + e.getOriginalMessage() + ")");
        }
    }

    /** A string member of the JSON body, or null when absent, empty or not a value. */
    String field(String name) {
        JsonNode node = json().map(n -> n.get(name)).orElse(null);
        if (node == null || !node.isValueNode() || node.isNull()) {
            return null;
        }
        String value = node.asString();
        return value.isEmpty() ? null : value;
    }

    String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The request body could not be read as the endpoint needs it. */
    static final class BadBody extends RuntimeException {
        BadBody(String message) {
            super(message, null, false, false);
        }
    }
}
