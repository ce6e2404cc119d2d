package io.tokencast.testkit.wechat;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * One request as an endpoint sees it, plus what the endpoint learned for the call log (the account and the
 * fingerprints of the credential presented and issued — never the values).
 */
final class ApiCall {

    final String method;
    final String path;
    final String callerIp;
    final Instant now;
    private final Map<String, String> query;
    private final String body;
    private final byte[] raw;
    final String rawQuery;
    private JsonNode json;

    String account;
    String presentedFingerprint;
    String issuedFingerprint;
    String caller;
    String contentType;
    java.util.Set<String> headerNames = java.util.Set.of();

    ApiCall(String method, String path, String rawQuery, byte[] body, String callerIp, Instant now) {
        this.method = method;
        this.path = path;
        this.query = parseQuery(rawQuery);
        this.body = new String(body, StandardCharsets.UTF_8);
        this.raw = body;
        this.rawQuery = redact(rawQuery);
        this.callerIp = callerIp;
        this.now = now;
    }

    /** A query parameter, or null when absent or empty (WeChat treats both as missing). */
    String param(String name) {
        String v = query.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    /** The body's bytes as sent (media uploads are binary). */
    byte[] rawBody() {
        return raw;
    }

    boolean isPost() {
        return "POST".equals(method);
    }

    /** The body as a JSON object, or empty when it is not one. */
    Optional<JsonNode> jsonBody() {
        if (json == null) {
            try {
                JsonNode node = Reply.JSON.readTree(body);
                json = node != null && node.isObject() ? node : null;
            } catch (JacksonException e) {
                json = null;
            }
        }
        return Optional.ofNullable(json);
    }

    /** A string field of the JSON body, or null when absent or empty. */
    String field(String name) {
        JsonNode node = jsonBody().map(n -> n.path(name)).orElse(null);
        if (node == null || !node.isValueNode() || node.isNull()) {
            return null;
        }
        String v = node.asString();
        return v.isEmpty() ? null : v;
    }

    boolean booleanField(String name) {
        return jsonBody().map(n -> n.path(name).asBoolean(false)).orElse(false);
    }

    private static Map<String, String> parseQuery(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            out.putIfAbsent(decode(k), decode(v));
        }
        return out;
    }

    /** The query with credential values replaced by their fingerprints, for the call log. */
    private static String redact(String raw) {
        if (raw == null || raw.isEmpty()) {
            return raw;
        }
        StringBuilder out = new StringBuilder();
        for (String pair : raw.split("&", -1)) {
            if (!out.isEmpty()) {
                out.append('&');
            }
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            if (eq >= 0 && (k.endsWith("access_token") || k.equals("secret") || k.equals("corpsecret"))) {
                out.append(k).append('=').append(Secrets.fingerprint(decode(pair.substring(eq + 1))));
            } else {
                out.append(pair);
            }
        }
        return out.toString();
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
