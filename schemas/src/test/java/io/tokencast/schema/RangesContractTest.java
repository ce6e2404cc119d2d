package io.tokencast.schema;

import static io.tokencast.schema.EventDecodingException.Problem.OUT_OF_RANGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link Ranges} is the one source of the contract's ranges: the JSON Schemas state the same numbers, and at
 * each edge the schema and the codec (both its paths) accept and reject the same values, the codec with
 * {@code OUT_OF_RANGE} and a message naming the field and the rule.
 */
class RangesContractTest {

    private static final String INSTANT_PATTERN = "^20[0-9]{2}-";
    private static final Instant LAST = Ranges.LATEST.minusNanos(1);

    private final EventCodec codec = EventCodec.json();

    @Test
    void schemasStateTheNumbersOfRanges() {
        JsonNode tokens = SchemaCheck.schemaNode(TokenRefreshed.class);
        JsonNode audit = SchemaCheck.schemaNode(RefreshAttempted.class);
        JsonNode credentials = SchemaCheck.schemaNode(CredentialStored.class);
        JsonNode commands = SchemaCheck.schemaNode(RefreshRequested.class);

        for (JsonNode version : List.of(tokens.at("/properties/version"), audit.at("/properties/version"))) {
            assertThat(version.get("minimum").asLong()).isEqualTo(Ranges.MIN_VERSION);
            assertThat(version.get("maximum").asLong()).isEqualTo(Ranges.MAX_VERSION);
        }
        assertThat(tokens.at("/properties/token/maxLength").asInt()).isEqualTo(Ranges.MAX_TOKEN_CHARS);
        assertThat(tokens.at("/properties/encryptedToken/maxLength").asInt())
                .isEqualTo(Ranges.MAX_ENCRYPTED_TOKEN_CHARS);
        assertThat(credentials.at("/properties/value/maxLength").asInt()).isEqualTo(Ranges.MAX_TOKEN_CHARS);
        assertThat(credentials.at("/properties/encryptedValue/maxLength").asInt())
                .isEqualTo(Ranges.MAX_ENCRYPTED_TOKEN_CHARS);
        assertThat(tokens.at("/$defs/tokenKey/maxLength").asInt()).isEqualTo(Ranges.MAX_KEY_CHARS);
        assertThat(credentials.at("/properties/credentialKey/maxLength").asInt())
                .isEqualTo(Ranges.MAX_KEY_CHARS);
        assertThat(commands.at("/properties/tokenKey/maxLength").asInt()).isEqualTo(Ranges.MAX_KEY_CHARS);
        assertThat(tokens.at("/$defs/name/maxLength").asInt()).isEqualTo(Ranges.MAX_NAME_CHARS);
        assertThat(audit.at("/properties/refresher/maxLength").asInt()).isEqualTo(Ranges.MAX_NAME_CHARS);
        assertThat(credentials.at("/$defs/name/maxLength").asInt()).isEqualTo(Ranges.MAX_NAME_CHARS);
        assertThat(commands.at("/properties/requestedBy/maxLength").asInt()).isEqualTo(Ranges.MAX_NAME_CHARS);
        assertThat(commands.at("/properties/onBehalfOf/maxLength").asInt()).isEqualTo(Ranges.MAX_NAME_CHARS);
        assertThat(audit.at("/properties/onBehalfOf/maxLength").asInt()).isEqualTo(Ranges.MAX_NAME_CHARS);
        assertThat(tokens.at("/$defs/instant/pattern").asString()).isEqualTo(INSTANT_PATTERN);
        assertThat(credentials.at("/$defs/instant/pattern").asString()).isEqualTo(INSTANT_PATTERN);
        assertThat(commands.at("/properties/requestedAt/pattern").asString()).isEqualTo(INSTANT_PATTERN);
        assertThat(audit.at("/properties/at/pattern").asString()).isEqualTo(INSTANT_PATTERN);
        // The pattern is "a year 2000 to 2099": exactly the window of Ranges, written in UTC.
        assertThat(Ranges.EARLIEST).isEqualTo(Instant.parse("2000-01-01T00:00:00Z"));
        assertThat(Ranges.LATEST).isEqualTo(Instant.parse("2100-01-01T00:00:00Z"));
        assertThat(tokens.at("/properties/expiresAt/description").asString())
                .contains(Ranges.MAX_TOKEN_LIFE.toDays() + " days");
        JsonNode retired = SchemaCheck.schemaNode(TokenRetired.class);
        for (JsonNode schema : List.of(tokens, retired, audit, credentials, commands)) {
            assertThat(schema.at("/properties/signature/maxLength").asInt()).isEqualTo(Ranges.MAX_SIGNATURE_CHARS);
        }
        assertThat(retired.at("/properties/version/maximum").asLong()).isEqualTo(Ranges.MAX_VERSION);
        assertThat(retired.at("/properties/tokenKey/maxLength").asInt()).isEqualTo(Ranges.MAX_KEY_CHARS);
        assertThat(retired.at("/properties/credentialKey/maxLength").asInt()).isEqualTo(Ranges.MAX_KEY_CHARS);
        assertThat(retired.at("/properties/reason/maxLength").asInt()).isEqualTo(Ranges.MAX_REASON_CHARS);
        assertThat(retired.at("/properties/retiredAt/pattern").asString()).isEqualTo(INSTANT_PATTERN);
        assertThat(EventCodec.MAX_PAYLOAD_BYTES).isEqualTo(Ranges.MAX_RECORD_BYTES);
        assertThat(TokenKey.MAX_LENGTH).isEqualTo(Ranges.MAX_KEY_CHARS);
    }

    static Stream<Arguments> edges() {
        String longest = "T".repeat(Ranges.MAX_TOKEN_CHARS);
        String name = "r".repeat(Ranges.MAX_NAME_CHARS);
        return Stream.of(
                edge(TokenRefreshed.class, "version", "1", "0"),
                edge(TokenRefreshed.class, "version", Long.toString(Ranges.MAX_VERSION), "9007199254740992"),
                edge(TokenRefreshed.class, "version", "9007199254740991", "9223372036854775807"),
                edge(TokenRefreshed.class, "version", "9007199254740991", "99999999999999999999999"),
                edge(TokenRefreshed.class, "version", "1", "-9223372036854775808"),
                edge(TokenRefreshed.class, "nextRefreshAt", instant(Ranges.EARLIEST), "\"1999-12-31T23:59:59.999Z\""),
                edge(TokenRefreshed.class, "nextRefreshAt", instant(LAST), instant(Ranges.LATEST)),
                edge(TokenRefreshed.class, "nextRefreshAt", instant(LAST), "\"+999999999-12-31T23:59:59Z\""),
                edge(TokenRefreshed.class, "nextRefreshAt", instant(LAST), "\"-999999999-01-01T00:00:00Z\""),
                edge(TokenRefreshed.class, "refresher", quoted(name), quoted(name + "r")),
                edge(RefreshRequested.class, "requestedAt", instant(Ranges.EARLIEST), "\"1970-01-01T00:00:00Z\""),
                edge(RefreshRequested.class, "requestedAt", instant(LAST), "\"3000-01-01T00:00:00Z\""),
                edge(RefreshRequested.class, "requestedBy", quoted(name), quoted(name + "x")),
                edge(RefreshRequested.class, "onBehalfOf", quoted(name), quoted(name + "x")),
                edge(RefreshAttempted.class, "onBehalfOf", quoted(name), quoted(name + "x")),
                edge(RefreshAttempted.class, "at", instant(LAST), "\"2100-01-01T00:00:00Z\""),
                edge(RefreshAttempted.class, "version", "9007199254740991", "9007199254740992"),
                edge(RefreshAttempted.class, "refresher", quoted(name), quoted(name + "x")),
                edge(CredentialStored.class, "receivedAt", instant(Ranges.EARLIEST), "\"3000-01-01T00:00:00Z\""),
                edge(CredentialStored.class, "expiresAt", instant(LAST), "\"+10000-01-01T00:00:00Z\""),
                edge(CredentialStored.class, "storedBy", quoted(name), quoted(name + "x")),
                edge(CredentialStored.class, "value", quoted(longest), quoted(longest + "T")),
                edge(TokenRefreshed.class, "token", quoted(longest), quoted(longest + "T")),
                edge(TokenRetired.class, "version", "9007199254740991", "9007199254740992"),
                edge(TokenRetired.class, "version", "1", "0"),
                edge(TokenRetired.class, "retiredAt", instant(LAST), "\"2100-01-01T00:00:00Z\""),
                edge(
                        TokenRetired.class,
                        "reason",
                        quoted("R".repeat(Ranges.MAX_REASON_CHARS)),
                        quoted("R".repeat(Ranges.MAX_REASON_CHARS + 1))));
    }

    @ParameterizedTest(name = "{0}.{1}: {2} in, {3} out")
    @MethodSource("edges")
    void schemaAndCodecAgreeAtEachEdge(Class<? extends TokencastEvent> type, String field, String in, String out) {
        byte[] inside = edited(type, field, in);
        byte[] outside = edited(type, field, out);

        assertThat(SchemaCheck.errors(type, inside)).isEmpty();
        assertThat(codec.decode(inside, type)).isInstanceOf(type);
        assertThat(SchemaCheck.errors(type, outside))
                .anySatisfy(error -> assertThat(error).contains(field));
        EventDecodingException rejected =
                catchThrowableOfType(EventDecodingException.class, () -> codec.decode(outside, type));
        assertThat(rejected.problem()).isEqualTo(OUT_OF_RANGE);
        assertThat(rejected.getMessage()).contains(type.getSimpleName() + "." + field);
        assertThat(catchThrowableOfType(EventDecodingException.class, () -> codec.decode(outside))
                        .problem())
                .isEqualTo(OUT_OF_RANGE);
    }

    @Test
    void aTokenLivesAtMost31DaysWhichOnlyTheCodecCanCheck() {
        TokenRefreshed sample = SampleEvents.tokenRefreshed();
        Instant longest = sample.issuedAt().plus(Ranges.MAX_TOKEN_LIFE);
        byte[] inside = edited(TokenRefreshed.class, "expiresAt", instant(longest));
        byte[] outside = edited(TokenRefreshed.class, "expiresAt", instant(longest.plusMillis(1)));

        assertThat(codec.decode(inside, TokenRefreshed.class).expiresAt()).isEqualTo(longest);
        EventDecodingException rejected =
                catchThrowableOfType(EventDecodingException.class, () -> codec.decode(outside, TokenRefreshed.class));
        assertThat(rejected.problem()).isEqualTo(OUT_OF_RANGE);
        assertThat(rejected.getMessage()).contains("TokenRefreshed.expiresAt must be at most 31 days");
    }

    @Test
    void theStreamingReaderLeavesOutOfRangeRecordsToTheGeneralPath() {
        byte[] tooLate = edited(TokenRefreshed.class, "expiresAt", "\"+999999999-12-31T23:59:59Z\"");
        byte[] tooHigh = edited(TokenRefreshed.class, "version", "9223372036854775807");

        assertThat(codec.readStreaming(tooLate)).isNull();
        assertThat(codec.readStreaming(tooHigh)).isNull();
    }

    @Test
    void recordsRefuseToBeBuiltOutOfRange() {
        TokenRefreshed sample = SampleEvents.tokenRefreshed();

        assertThat(catchThrowableOfType(OutOfRangeException.class, () -> sample.withVersion(Ranges.MAX_VERSION + 1))
                        .field())
                .isEqualTo("version");
        assertThat(sample.withVersion(Ranges.MAX_VERSION).version()).isEqualTo(Ranges.MAX_VERSION);
    }

    @ParameterizedTest(name = "{0}.{1}")
    @MethodSource("names")
    void namesWithControlCharactersAreRejectedBySchemaAndCodec(Class<? extends TokencastEvent> type, String field) {
        for (String forged : List.of("evil\r\nINFO forged line", "tab\tbed", "nul\u0000", "c1\u0085")) {
            byte[] payload = edited(type, field, quoted(forged));

            assertThat(SchemaCheck.errors(type, payload)).as(forged).anySatisfy(e -> assertThat(e)
                    .contains(field));
            EventDecodingException rejected =
                    catchThrowableOfType(EventDecodingException.class, () -> codec.decode(payload, type));
            assertThat(rejected.getMessage()).contains(field + " must not hold control characters");
        }
        assertThat(codec.decode(edited(type, field, quoted("svc@host-1 (ü)")), type))
                .isInstanceOf(type);
    }

    static Stream<Arguments> names() {
        return Stream.of(
                Arguments.of(TokenRefreshed.class, "refresher"),
                Arguments.of(RefreshAttempted.class, "refresher"),
                Arguments.of(RefreshRequested.class, "requestedBy"),
                Arguments.of(RefreshRequested.class, "onBehalfOf"),
                Arguments.of(RefreshAttempted.class, "onBehalfOf"),
                Arguments.of(CredentialStored.class, "storedBy"));
    }

    private static Arguments edge(Class<? extends TokencastEvent> type, String field, String in, String out) {
        return Arguments.of(type, field, in, out);
    }

    private static byte[] edited(Class<? extends TokencastEvent> type, String field, String literal) {
        ObjectNode tree = SampleEvents.tree(sample(type));
        JsonNode value = SampleEvents.literal(literal);
        tree.set(field, value);
        if (field.equals("token") || field.equals("value")) {
            // Only the length may break the contract here, not the fingerprint.
            tree.put("fingerprint", Fingerprint.of(value.asString()));
        }
        return SampleEvents.bytes(tree);
    }

    private static TokencastEvent sample(Class<? extends TokencastEvent> type) {
        if (type == TokenRefreshed.class) {
            return SampleEvents.tokenRefreshed();
        }
        if (type == RefreshAttempted.class) {
            return SampleEvents.refreshAttempted();
        }
        if (type == RefreshRequested.class) {
            return SampleEvents.refreshRequested();
        }
        if (type == TokenRetired.class) {
            return SampleEvents.tokenRetired();
        }
        return SampleEvents.credentialStored();
    }

    private static String instant(Instant instant) {
        return quoted(instant.toString());
    }

    private static String quoted(String text) {
        return Mutation.quoted(text);
    }
}
