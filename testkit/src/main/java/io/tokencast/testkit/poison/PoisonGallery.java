package io.tokencast.testkit.poison;

import io.tokencast.schema.EventCodec;
import io.tokencast.schema.TokenRefreshed;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The poison records of issue 14, for tests on the real broker and Redis: each one a value that once passed the
 * codec or broke a reader (an {@code expiresAt} of year 999999999, a version of 2^63-1, an instant in the year
 * 3000), plus garbage of every shape. A record without a key is not among them: a compacted topic's broker refuses
 * it (and with it the producer's whole batch). Built from a valid {@link TokenRefreshed}, so each differs from a genuine
 * record in one member only and names the same key unless it is about the key.
 */
public final class PoisonGallery {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    /**
     * One poison record.
     *
     * @param name what is wrong with it, for test reports
     * @param key the Kafka record key (may differ from the value's tokenKey)
     * @param value the record value (never null: a tombstone is not poison)
     */
    public record Poison(String name, String key, byte[] value) {
        @Override
        public String toString() {
            return name;
        }
    }

    private PoisonGallery() {}

    /** Every poison record derived from {@code valid}, which is a genuine version of its key. */
    public static List<Poison> of(TokenRefreshed valid) {
        String key = valid.tokenKey().asString();
        List<Poison> gallery = new ArrayList<>();
        gallery.add(edit(valid, "expiresAt at +999999999", "expiresAt", "\"+999999999-12-31T23:59:59Z\""));
        gallery.add(edit(valid, "nextRefreshAt at -999999999", "nextRefreshAt", "\"-999999999-01-01T00:00:00Z\""));
        gallery.add(edit(valid, "issuedAt in 1970", "issuedAt", "\"1970-01-01T00:00:00Z\""));
        gallery.add(edit(valid, "expiresAt in the year 3000", "expiresAt", "\"3000-01-01T00:00:00Z\""));
        gallery.add(edit(valid, "version 2^63-1", "version", "9223372036854775807"));
        gallery.add(edit(valid, "version 2^53", "version", "9007199254740992"));
        gallery.add(edit(valid, "version beyond 64 bits", "version", "99999999999999999999999"));
        gallery.add(edit(valid, "version -1", "version", "-1"));
        gallery.add(edit(valid, "version 1e300", "version", "1e300"));
        gallery.add(edit(valid, "token of 100 kB", "token", "\"" + "T".repeat(100_000) + "\""));
        gallery.add(edit(valid, "token of 3000 chars", "token", "\"" + "T".repeat(3000) + "\""));
        gallery.add(edit(valid, "refresher with CR LF", "refresher", "\"evil\\r\\nINFO forged log line\""));
        gallery.add(edit(valid, "tokenKey of another key", "tokenKey", "\"wechat-access-token/wxforgedforgedfo\""));
        gallery.add(new Poison("deeply nested unknown member", key, utf8(withUnknown(valid, "[".repeat(5000)))));
        gallery.add(new Poison("not JSON", key, new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef}));
        gallery.add(new Poison("truncated JSON", key, utf8("{\"type\":\"TokenRefreshed\",\"version\":")));
        gallery.add(new Poison("a JSON array", key, utf8("[1,2,3]")));
        gallery.add(
                new Poison("another record type", key, utf8("{\"type\":\"RefreshRequested\",\"schemaVersion\":1}")));
        gallery.add(new Poison("schemaVersion 2", key, utf8("{\"type\":\"TokenRefreshed\",\"schemaVersion\":2}")));
        gallery.add(new Poison("empty value", key, new byte[0]));
        gallery.add(new Poison("key with CR LF", "wechat-access-token/wx\r\nforged", encode(valid)));
        gallery.add(new Poison("key of 10 kB", "k".repeat(10_000), encode(valid)));
        return List.copyOf(gallery);
    }

    private static Poison edit(TokenRefreshed valid, String name, String field, String literal) {
        ObjectNode tree = (ObjectNode) MAPPER.readTree(encode(valid));
        tree.set(field, MAPPER.readTree(literal));
        return new Poison(name, valid.tokenKey().asString(), MAPPER.writeValueAsBytes(tree));
    }

    private static String withUnknown(TokenRefreshed valid, String open) {
        String json = new String(encode(valid), StandardCharsets.UTF_8);
        String closed = open.replace('[', ']');
        return json.substring(0, json.lastIndexOf('}')) + ",\"addedLater\":" + open + closed + "}";
    }

    private static byte[] encode(TokenRefreshed event) {
        return EventCodec.json().encode(event);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
