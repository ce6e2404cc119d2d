package io.tokencast.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The streaming reader behind {@code decode(bytes, TokenRefreshed.class)} is only a shortcut: it takes every
 * event the codec writes, and on any payload at all, {@code decode} gives the same event or the same
 * rejection as the general (tree) path.
 */
class TokenRefreshedReaderTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    // Values a later producer might add that the streaming reader skips rather than falls back on.
    private static final String[] PLAIN_UNKNOWN_VALUES = {
        "\"x\"",
        "0",
        "-7",
        "9223372036854775807",
        "true",
        "false",
        "null",
        "{}",
        "[]",
        "{\"a\":[1,{\"b\":null}]}",
        "[\"x\",[[]],{\"a\":{\"a\":1,\"a\":2}}]"
    };

    private final EventCodec codec = EventCodec.json();

    @Test
    void everyEventTheCodecWritesTakesTheStreamingPathAndDecodesAsTheGeneralPathDoes() {
        RandomEvents events = new RandomEvents(20250601);
        for (int i = 0; i < 3_000; i++) {
            TokenRefreshed event = events.next();
            byte[] json = codec.encode(event);

            assertThat(codec.readStreaming(json)).as("%s", event).isEqualTo(event);
            assertThat(codec.decodeTree(json, TokenRefreshed.class)).isEqualTo(event);
            assertThat(codec.decode(json, TokenRefreshed.class)).isEqualTo(event);
        }
    }

    @Test
    void fieldOrderWhitespaceAndUnknownFieldsKeepTheStreamingPath() {
        RandomEvents events = new RandomEvents(7);
        for (int i = 0; i < 500; i++) {
            TokenRefreshed event = events.next();
            ObjectNode tree = SampleEvents.tree(event);
            tree.set("addedLater" + i, SampleEvents.literal(events.pick(PLAIN_UNKNOWN_VALUES)));
            byte[] json = utf8(shuffled(tree, events, events.random().nextBoolean()));

            assertThat(codec.readStreaming(json))
                    .as("%s", new String(json, StandardCharsets.UTF_8))
                    .isEqualTo(event);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tokencast.schema.Mutations#all")
    void everyMutationDecodesOrFailsExactlyAsOnTheGeneralPath(Mutation mutation) {
        RandomEvents events = new RandomEvents(mutation.name().hashCode());
        for (int i = 0; i < 20; i++) {
            TokenRefreshed event = i == 0 ? SampleEvents.tokenRefreshed() : events.next();
            byte[] payload = utf8(mutation.apply(new String(codec.encode(event), StandardCharsets.UTF_8), events));

            assertSameOutcome(payload, event);
        }
    }

    @Test
    void randomCombinationsOfMutationsDecodeOrFailExactlyAsOnTheGeneralPath() {
        RandomEvents events = new RandomEvents(42);
        List<Mutation> all = Mutations.all().toList();
        for (int i = 0; i < 3_000; i++) {
            TokenRefreshed event = events.next();
            String json = new String(codec.encode(event), StandardCharsets.UTF_8);
            for (int n = 1 + events.random().nextInt(3); n > 0; n--) {
                json = all.get(events.random().nextInt(all.size())).applyIfJson(json, events);
            }

            assertSameOutcome(utf8(json), event);
        }
    }

    @Test
    void invalidUtf8AnywhereFailsAsOnTheGeneralPath() {
        byte[][] invalid = {{(byte) 0xff}, {(byte) 0xc3, '('}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, {(byte) 0xe2}};
        String encoded = new String(codec.encode(SampleEvents.tokenRefreshed()), StandardCharsets.UTF_8);
        String json = encoded.substring(0, encoded.lastIndexOf('}')) + ",\"addedLater\":\"@\"}";
        for (String around : List.of("\"token\":\"86_", "refresher-", "\"addedLater\":\"", "\"addedLa")) {
            for (byte[] bytes : invalid) {
                int at = json.indexOf(around) + around.length();
                byte[] head = utf8(json.substring(0, at));
                byte[] tail = utf8(json.substring(at));
                byte[] payload = new byte[head.length + bytes.length + tail.length];
                System.arraycopy(head, 0, payload, 0, head.length);
                System.arraycopy(bytes, 0, payload, head.length, bytes.length);
                System.arraycopy(tail, 0, payload, head.length + bytes.length, tail.length);

                assertSameOutcome(payload, SampleEvents.tokenRefreshed());
            }
        }
    }

    @Test
    void nullEmptyAndOversizedPayloadsAreLeftToTheGeneralPath() {
        byte[] oversized = new byte[EventCodec.MAX_PAYLOAD_BYTES + 1];

        assertThat(codec.readStreaming(null)).isNull();
        assertThat(codec.readStreaming(new byte[0])).isNull();
        assertThat(codec.readStreaming(oversized)).isNull();
    }

    /** The same event, or the same problem and message, either way; and the message holds no token. */
    private void assertSameOutcome(byte[] payload, TokenRefreshed original) {
        String what = new String(payload, StandardCharsets.UTF_8);
        Outcome general = Outcome.of(() -> codec.decodeTree(payload, TokenRefreshed.class));
        Outcome decoded = Outcome.of(() -> codec.decode(payload, TokenRefreshed.class));
        TokenRefreshed streamed = codec.readStreaming(payload);

        assertThat(decoded).as("%s", what).isEqualTo(general);
        if (streamed != null) {
            assertThat(general.event()).as("%s", what).isEqualTo(streamed);
        }
        if (general.message() != null
                && original.token() != null
                && original.token().length() >= 16) {
            assertThat(general.message()).as("%s", what).doesNotContain(original.token());
        }
    }

    private record Outcome(TokenRefreshed event, EventDecodingException.Problem problem, String message) {
        static Outcome of(Supplier<TokenRefreshed> decode) {
            try {
                return new Outcome(decode.get(), null, null);
            } catch (EventDecodingException e) {
                return new Outcome(null, e.problem(), e.getMessage());
            }
        }
    }

    /** The tree's properties in random order, compact or pretty-printed. */
    private static String shuffled(ObjectNode tree, RandomEvents events, boolean pretty) {
        List<Map.Entry<String, JsonNode>> properties = new ArrayList<>(tree.properties());
        Collections.shuffle(properties, events.random());
        ObjectNode reordered = MAPPER.createObjectNode();
        properties.forEach(p -> reordered.set(p.getKey(), p.getValue()));
        return pretty ? MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(reordered) : reordered.toString();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
