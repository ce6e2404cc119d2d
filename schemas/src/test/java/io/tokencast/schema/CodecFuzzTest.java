package io.tokencast.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Fuzzing the codec (issue 14, point 11): 100k mutated records a run, 60k of them {@code TokenRefreshed} through
 * the named {@link Mutations} combined at random, 40k of the other types through generic edits (truncation, type
 * swaps, huge and negative numbers, deep nesting, long strings, odd Unicode). Whatever the bytes, decoding ends in
 * an event within the contract's {@link Ranges} or in the codec's own {@link EventDecodingException}; nothing
 * else escapes, and no message quotes the token.
 */
class CodecFuzzTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final List<Mutation> MUTATIONS = Mutations.all().toList();
    private static final String[] LITERALS = {
        "null",
        "true",
        "0",
        "-1",
        "-9223372036854775808",
        "9223372036854775807",
        "9007199254740992",
        "1e308",
        "-1e308",
        "1.5",
        "\"\"",
        "\" \"",
        "\"\\u0000\"",
        "\"\\r\\nINFO forged\"",
        "\"\\ud800\"",
        "\"令牌😀\\u2028\\u202e\"",
        "{}",
        "[]",
        "[[[[[[[[[[]]]]]]]]]]",
        "{\"a\":{\"b\":{\"c\":[1,2,{}]}}}",
        "\"+999999999-12-31T23:59:59Z\"",
        "\"-999999999-01-01T00:00:00Z\"",
        "\"3000-01-01T00:00:00Z\"",
        "\"1999-12-31T23:59:59Z\"",
        "\"2099-12-31T23:59:59.999999999Z\"",
        "\"9a1c7e52-0b3d-4f86-a2e4-5d6c7b8a9f01\""
    };

    private final EventCodec codec = EventCodec.json();

    @Property(tries = 60_000, shrinking = ShrinkingMode.OFF)
    void aMutatedTokenRefreshedDecodesWithinRangesOrIsRejectedByTheCodec(@ForAll("mutatedTokens") byte[] payload) {
        assertDecodesOrIsRejected(payload, TokenRefreshed.class);
    }

    @Property(tries = 40_000, shrinking = ShrinkingMode.OFF)
    void anyMutatedEventDecodesWithinRangesOrIsRejectedByTheCodec(@ForAll("mutatedEvents") byte[] payload) {
        assertDecodesOrIsRejected(payload, null);
    }

    @Provide
    Arbitrary<byte[]> mutatedTokens() {
        return Arbitraries.longs().map(seed -> {
            RandomEvents events = new RandomEvents(seed);
            String json = new String(codec.encode(events.next()), StandardCharsets.UTF_8);
            for (int n = 1 + events.random().nextInt(3); n > 0; n--) {
                Mutation mutation = MUTATIONS.get(events.random().nextInt(MUTATIONS.size()));
                try {
                    json = mutation.applyIfJson(json, events);
                } catch (RuntimeException e) {
                    // Some named mutations need a non-empty object to edit; the text so far is fuzz enough.
                }
            }
            return json.getBytes(StandardCharsets.UTF_8);
        });
    }

    @Provide
    Arbitrary<byte[]> mutatedEvents() {
        List<TokencastEvent> samples = List.of(
                SampleEvents.refreshAttempted(),
                SampleEvents.refreshAttemptedRejectedMinimal(),
                SampleEvents.refreshRequested(),
                SampleEvents.refreshRequestedMinimal(),
                SampleEvents.credentialStored(),
                SampleEvents.credentialStoredEncrypted(),
                SampleEvents.tokenRefreshedEncrypted());
        return Arbitraries.longs().map(seed -> {
            Random random = new Random(seed);
            byte[] json = codec.encode(samples.get(random.nextInt(samples.size())));
            for (int n = 1 + random.nextInt(3); n > 0; n--) {
                json = edit(json, random);
            }
            return json;
        });
    }

    private void assertDecodesOrIsRejected(byte[] payload, Class<? extends TokencastEvent> type) {
        TokencastEvent event;
        try {
            event = type == null ? codec.decode(payload) : codec.decode(payload, type);
        } catch (EventDecodingException rejected) {
            assertThat(rejected.problem()).isNotNull();
            assertThat(rejected.getMessage()).doesNotContain(SampleEvents.TOKEN);
            return;
        }
        assertWithinRanges(event);
        assertThat(codec.decode(codec.encode(event))).isEqualTo(event);
    }

    private static void assertWithinRanges(TokencastEvent event) {
        if (event instanceof TokenRefreshed t) {
            assertThat(Ranges.isVersion(t.version())).isTrue();
            assertThat(List.of(t.issuedAt(), t.expiresAt(), t.nextRefreshAt())).allMatch(Ranges::isInWindow);
            assertThat(t.expiresAt())
                    .isBefore(t.issuedAt().plus(Ranges.MAX_TOKEN_LIFE).plusNanos(1));
        } else if (event instanceof RefreshRequested r) {
            assertThat(Ranges.isInWindow(r.requestedAt())).isTrue();
        } else if (event instanceof CredentialStored c) {
            assertThat(Ranges.isInWindow(c.receivedAt())).isTrue();
        } else if (event instanceof TokenRetired r) {
            assertThat(Ranges.isInWindow(r.retiredAt())).isTrue();
            assertThat(Ranges.isVersion(r.version())).isTrue();
        } else if (event instanceof RefreshAttempted a) {
            assertThat(Ranges.isInWindow(a.at())).isTrue();
        }
    }

    /** One generic edit: a member set to an odd literal, removed, or a long string; or the bytes truncated. */
    private static byte[] edit(byte[] json, Random random) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (RuntimeException e) {
            return json;
        }
        if (!(tree instanceof ObjectNode object) || random.nextInt(8) == 0) {
            return Arrays.copyOf(json, random.nextInt(json.length + 1));
        }
        List<String> names = List.copyOf(object.propertyNames());
        String field = names.get(random.nextInt(names.size()));
        switch (random.nextInt(4)) {
            case 0 -> object.remove(field);
                // Now and then past the 64 KiB record cap; mostly a few KB, past the 2 KB token cap.
            case 1 -> object.put(field, "x".repeat(1 + random.nextInt(random.nextInt(20) == 0 ? 70_000 : 5_000)));
            default -> object.set(field, MAPPER.readTree(LITERALS[random.nextInt(LITERALS.length)]));
        }
        return MAPPER.writeValueAsBytes(object);
    }
}
