package io.tokencast.schema;

import static io.tokencast.schema.Mutation.addUnknown;
import static io.tokencast.schema.Mutation.duplicate;
import static io.tokencast.schema.Mutation.edit;
import static io.tokencast.schema.Mutation.quoted;
import static io.tokencast.schema.Mutation.raw;
import static io.tokencast.schema.Mutation.set;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * Named changes to an encoded {@link TokenRefreshed}, valid and invalid, for tests that hold the streaming
 * reader to the general path: other types and shapes, non-canonical forms the general path accepts, nulls,
 * duplicates, unknown fields at Jackson's limits, broken syntax.
 */
final class Mutations {

    private static final List<String> FIELDS = List.of(
            "type",
            "schemaVersion",
            "eventId",
            "tokenKey",
            "kind",
            "account",
            "version",
            "token",
            "encryptedToken",
            "fingerprint",
            "issuedAt",
            "expiresAt",
            "nextRefreshAt",
            "reason",
            "refresher",
            "causationId");

    private static final List<String> ANY_FIELD_VALUES =
            List.of("null", "0", "-1", "1.5", "\"\"", "\" \"", "\"1\"", "true", "{}", "[]", "99999999999999999999999");

    private Mutations() {}

    static Stream<Mutation> all() {
        return Stream.of(anyField(), ids(), instants(), keys(), numbers(), texts(), unknownFields(), syntax())
                .flatMap(List::stream);
    }

    private static List<Mutation> anyField() {
        List<Mutation> mutations = new ArrayList<>();
        for (String field : FIELDS) {
            mutations.add(edit("without " + field, field, value -> null));
            mutations.add(duplicate(field, true));
            mutations.add(duplicate(field, false));
            ANY_FIELD_VALUES.forEach(literal -> mutations.add(set(field, literal)));
        }
        return mutations;
    }

    private static List<Mutation> ids() {
        List<Mutation> mutations = new ArrayList<>();
        for (String field : List.of("eventId", "causationId")) {
            mutations.add(edit(
                    field + " in upper case", field, value -> quoted(uuid(value).toUpperCase(Locale.ROOT))));
            mutations.add(edit(
                    field + " without dashes",
                    field,
                    value -> quoted(uuid(value).replace("-", ""))));
            mutations.add(edit(field + " with a leading space", field, value -> quoted(" " + uuid(value))));
            mutations.add(edit(field + " in braces", field, value -> quoted("{" + uuid(value) + "}")));
            mutations.add(edit(
                    field + " with a g",
                    field,
                    value -> quoted("g" + uuid(value).substring(1))));
            mutations.add(edit(field + " with a full-width digit", field, v -> quoted("３" + uuid(v).substring(1))));
            Stream.of(
                            "\"Pyu8Hm1KTnucLRpejwt8NA==\"",
                            "\"1-1-1-1-1\"",
                            "\"00000000-0000-0000-0000-000000000000\"",
                            "\"FFFFFFFF-ffff-ffff-ffff-ffffffffffff\"",
                            "\"3f2b8c1e-6d4a-4e7b-9c2d-1a5e8f0b7c3\"",
                            "\"3f2b8c1e+6d4a-4e7b-9c2d-1a5e8f0b7c34\"")
                    .forEach(literal -> mutations.add(set(field, literal)));
        }
        return mutations;
    }

    private static List<Mutation> instants() {
        List<Mutation> mutations = new ArrayList<>();
        for (String field : List.of("issuedAt", "expiresAt", "nextRefreshAt")) {
            mutations.add(edit(field + " in lower case", field, value -> text(value, t -> t.toLowerCase(Locale.ROOT))));
            mutations.add(edit(field + " at +00:00", field, value -> text(value, t -> t.replace("Z", "+00:00"))));
            mutations.add(edit(field + " at +08:00", field, value -> text(value, t -> t.replace("Z", "+08:00"))));
            mutations.add(edit(field + " padded", field, value -> text(value, t -> " " + t + " ")));
            mutations.add(edit(
                    field + " with a full-width digit",
                    field,
                    value -> text(value, t -> "２" + (t.isEmpty() ? "" : t.substring(1)))));
            Stream.of(
                            "\"2025-06-01T08:00Z\"",
                            "\"2025-06-01T08:00:00.Z\"",
                            "\"2025-06-01T08:00:00.5Z\"",
                            "\"2025-06-01T08:00:00.1234567891Z\"",
                            "\"2025-06-01T08:00:00,5Z\"",
                            "\"2025-06-01 08:00:00Z\"",
                            "\"2025-06-01T08:00:60Z\"",
                            "\"2025-06-01T24:00:00Z\"",
                            "\"2025-06-01T23:60:00Z\"",
                            "\"2023-02-29T08:00:00Z\"",
                            "\"2024-02-29T08:00:00Z\"",
                            "\"2025-13-01T08:00:00Z\"",
                            "\"2025-06-00T08:00:00Z\"",
                            "\"2025-04-31T08:00:00Z\"",
                            "\"0000-01-01T00:00:00Z\"",
                            "\"9999-12-31T23:59:59.999999999Z\"",
                            "\"+10000-01-01T00:00:00Z\"",
                            "\"-0001-01-01T00:00:00Z\"",
                            "\"+2025-06-01T08:00:00Z\"",
                            "1748764800",
                            "1748764800000.5")
                    .forEach(literal -> mutations.add(set(field, literal)));
        }
        return mutations;
    }

    private static List<Mutation> keys() {
        List<Mutation> mutations = new ArrayList<>();
        Stream.of(
                        "\"wechat-foo/wx0123\"",
                        "\"wechat-access-token\"",
                        "\"wechat-access-token/\"",
                        "\"wechat-access-token/wx01 23\"",
                        "\"wechat-access-token/wx01\\u00a023\"",
                        "\" wechat-access-token/wx0123456789abcdef\"",
                        "\"WECHAT-ACCESS-TOKEN/wx0123456789abcdef\"",
                        "\"wechat-card-ticket/wx0123456789abcdef\"",
                        "\"wechat-access-token/" + "a".repeat(200) + "\"",
                        "{\"kind\":\"wechat-access-token\",\"account\":\"wx0123456789abcdef\"}")
                .forEach(literal -> mutations.add(set("tokenKey", literal)));
        Stream.of(TokenKind.values()).forEach(kind -> mutations.add(set("kind", quoted(kind.id()))));
        Stream.of("\"WECHAT_ACCESS_TOKEN\"", "\"wechat-bogus\"", "\"wechat-access-token \"")
                .forEach(literal -> mutations.add(set("kind", literal)));
        mutations.add(set("account", "\"wxsomeoneelse\""));
        mutations.add(edit("account with a trailing space", "account", value -> text(value, t -> t + " ")));
        Stream.of(RefreshReason.values()).forEach(reason -> mutations.add(set("reason", quoted(reason.name()))));
        Stream.of("\"scheduled\"", "\"0\"", "\"SCHEDULED \"").forEach(literal -> mutations.add(set("reason", literal)));
        return mutations;
    }

    private static List<Mutation> numbers() {
        List<Mutation> mutations = new ArrayList<>();
        Stream.of(
                        "-3",
                        "9223372036854775807",
                        "9223372036854775808",
                        "-9223372036854775809",
                        "1e3",
                        "1E2",
                        "1.0",
                        "-0",
                        "42.5",
                        "\"42\"")
                .forEach(literal -> mutations.add(set("version", literal)));
        Stream.of("1", "1.0", "-0", "2", "1e0", "\"1\"", "4294967297")
                .forEach(literal -> mutations.add(set("schemaVersion", literal)));
        return mutations;
    }

    private static List<Mutation> texts() {
        List<Mutation> mutations = new ArrayList<>();
        Stream.of("\"tokenrefreshed\"", "\"RefreshRequested\"", "\"TokenRefreshed \"")
                .forEach(literal -> mutations.add(set("type", literal)));
        Stream.of("\"other\"", "\"\\u0000x\"", "12345").forEach(literal -> mutations.add(set("token", literal)));
        mutations.add(set("encryptedToken", "\"v1:AES-GCM:abc\""));
        mutations.add(edit("fingerprint in upper case", "fingerprint", v -> text(v, t -> t.toUpperCase(Locale.ROOT))));
        Stream.of("\"md5:0123\"", "\"sha256:0000000000000000\"", "\"sha256:0000000000000000 \"")
                .forEach(literal -> mutations.add(set("fingerprint", literal)));
        Stream.of("\"r\"", "\"\\t\"", "false").forEach(literal -> mutations.add(set("refresher", literal)));
        return mutations;
    }

    private static List<Mutation> unknownFields() {
        List<Mutation> mutations = new ArrayList<>();
        Stream.of(
                        "\"x\"",
                        "\"\\ud83d\\ude00 \\\" \\\\\"",
                        "-7",
                        "9223372036854775807",
                        "9223372036854775808",
                        "1.5",
                        "-0.0",
                        "1e999",
                        "1" + "0".repeat(1000),
                        "1" + "0".repeat(1001),
                        "0." + "1".repeat(1001),
                        "{\"a\":1,\"a\":2}",
                        "[1,[2,{\"b\":null}],true]",
                        "[1.5]",
                        "{\"deep\":" + "[".repeat(999) + "]".repeat(999) + "}",
                        "[".repeat(1001) + "]".repeat(1001),
                        "[".repeat(3000) + "]".repeat(3000))
                .forEach(literal -> mutations.add(addUnknown(literal)));
        return mutations;
    }

    private static List<Mutation> syntax() {
        List<Mutation> mutations = new ArrayList<>();
        Stream.of(" {}", " x", "\n\t ", "]", ",", " null", "}")
                .forEach(tail -> mutations.add(raw("followed by '" + tail.strip() + "'", json -> json + tail)));
        mutations.add(raw("behind a byte order mark", json -> "\uFEFF" + json));
        mutations.add(raw("behind whitespace", json -> " \r\n\t" + json));
        mutations.add(raw("in an array", json -> "[" + json + "]"));
        mutations.add(raw("as a string", json -> Mutation.MAPPER.writeValueAsString(json)));
        mutations.add(raw("padded to the limit", json -> padded(json, EventCodec.MAX_PAYLOAD_BYTES)));
        mutations.add(raw("padded over the limit", json -> padded(json, EventCodec.MAX_PAYLOAD_BYTES + 1)));
        mutations.add(new Mutation(
                "truncated", (json, events) -> json.substring(0, events.random().nextInt(json.length()))));
        mutations.add(new Mutation("with a character replaced", (json, events) -> {
            String replacements = "{}[]\",:\\ 0a";
            int at = events.random().nextInt(json.length());
            char replacement = replacements.charAt(events.random().nextInt(replacements.length()));
            return json.substring(0, at) + replacement + json.substring(at + 1);
        }));
        return mutations;
    }

    private static String uuid(JsonNode value) {
        return value.isString() && value.asString().length() == 36
                ? value.asString()
                : "3f2b8c1e-6d4a-4e7b-9c2d-1a5e8f0b7c34";
    }

    private static String text(JsonNode value, UnaryOperator<String> change) {
        return quoted(change.apply(value.isString() ? value.asString() : "2025-06-01T08:00:00Z"));
    }

    private static String padded(String json, int size) {
        int closing = json.lastIndexOf('}');
        int length = json.getBytes(StandardCharsets.UTF_8).length;
        return closing < 0 || length > size ? json : json.substring(0, closing) + " ".repeat(size - length) + "}";
    }
}
