package io.tokencast.schema;

import static io.tokencast.schema.EventDecodingException.Problem.INVALID_FIELD;
import static io.tokencast.schema.EventDecodingException.Problem.MALFORMED_JSON;
import static io.tokencast.schema.EventDecodingException.Problem.MISSING_FIELD;
import static io.tokencast.schema.EventDecodingException.Problem.PAYLOAD_TOO_LARGE;
import static io.tokencast.schema.EventDecodingException.Problem.UNSUPPORTED_SCHEMA_VERSION;
import static io.tokencast.schema.EventDecodingException.Problem.WRONG_TYPE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every way a payload can break the contract fails with an {@link EventDecodingException} whose problem
 * and message name what is wrong, and whose message never holds a secret.
 */
class EventCodecRejectionTest {

    private static final List<String> SECRETS =
            List.of(SampleEvents.TOKEN, SampleEvents.TICKET, SampleEvents.REFRESH_TOKEN);

    private final EventCodec codec = EventCodec.json();

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"type\":\"TokenRefreshed\",",
                "{type: TokenRefreshed}",
                "not json at all",
                "{\"type\":\"TokenRefreshed\",\"schemaVersion\":1} trailing",
                "{\"type\":\"TokenRefreshed\",\"token\":\"" + SampleEvents.TOKEN + "\" oops}"
            })
    void malformedJsonIsRejected(String payload) {
        EventDecodingException e = rejection(() -> codec.decode(utf8(payload), TokenRefreshed.class));

        assertThat(e.problem()).isEqualTo(MALFORMED_JSON);
        assertThat(e.getMessage()).contains("not JSON").contains("line 1");
    }

    @Test
    void emptyPayloadIsRejected() {
        EventDecodingException empty = rejection(() -> codec.decode(new byte[0]));
        EventDecodingException missing = rejection(() -> codec.decode((byte[]) null, TokenRefreshed.class));
        EventDecodingException missingString = rejection(() -> codec.decode((String) null, TokenRefreshed.class));

        assertThat(List.of(empty, missing, missingString)).allSatisfy(e -> {
            assertThat(e.problem()).isEqualTo(MALFORMED_JSON);
            assertThat(e.getMessage()).isEqualTo("payload is empty");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "[{\"type\":\"TokenRefreshed\",\"schemaVersion\":1}]", "\"x\"", "42", "null", "  "})
    void payloadThatIsNotAJsonObjectIsRejected(String payload) {
        EventDecodingException e = rejection(() -> codec.decode(utf8(payload)));

        assertThat(e.problem()).isEqualTo(MALFORMED_JSON);
        assertThat(e.getMessage()).contains("not a JSON object");
    }

    @Test
    void unknownTypeIsRejected() {
        ObjectNode tree = SampleEvents.tree(SampleEvents.tokenRefreshed()).put("type", "TokenRevoked");

        EventDecodingException e = rejection(() -> codec.decode(SampleEvents.bytes(tree)));

        assertThat(e.problem()).isEqualTo(WRONG_TYPE);
        assertThat(e.getMessage()).contains("'TokenRevoked'").contains("TokenRefreshed", "CredentialStored");
    }

    @Test
    void eventOfAnotherTypeIsRejected() {
        byte[] command = codec.encode(SampleEvents.refreshRequested());

        EventDecodingException e = rejection(() -> codec.decode(command, TokenRefreshed.class));

        assertThat(e.problem()).isEqualTo(WRONG_TYPE);
        assertThat(e.getMessage()).contains("expected a TokenRefreshed").contains("'RefreshRequested'");
    }

    @Test
    void typeThatIsNotAStringIsRejected() {
        ObjectNode tree = SampleEvents.tree(SampleEvents.tokenRefreshed()).put("type", 5);

        EventDecodingException e = rejection(() -> codec.decode(SampleEvents.bytes(tree)));

        assertThat(e.problem()).isEqualTo(WRONG_TYPE);
        assertThat(e.getMessage()).contains("type must be a string");
    }

    @Test
    void missingTypeIsRejectedByBothDecodeMethods() {
        ObjectNode tree = SampleEvents.tree(SampleEvents.tokenRefreshed());
        tree.remove("type");
        byte[] json = SampleEvents.bytes(tree);

        EventDecodingException anyType = rejection(() -> codec.decode(json));
        EventDecodingException expectedType = rejection(() -> codec.decode(json, TokenRefreshed.class));

        assertThat(List.of(anyType, expectedType)).allSatisfy(e -> {
            assertThat(e.problem()).isEqualTo(MISSING_FIELD);
            assertThat(e.getMessage()).isEqualTo("type is missing");
        });
    }

    static Stream<Arguments> requiredFields() {
        return Stream.<TokencastEvent>of(
                        SampleEvents.tokenRefreshed(),
                        SampleEvents.refreshAttempted(),
                        SampleEvents.refreshRequested(),
                        SampleEvents.credentialStored())
                .flatMap(event -> SchemaCheck.required(event.getClass()).stream()
                        .map(field -> Arguments.of(event.getClass().getSimpleName(), field, event)));
    }

    @ParameterizedTest(name = "{0} without {1}")
    @MethodSource("requiredFields")
    void missingRequiredFieldIsRejected(String type, String field, TokencastEvent event) {
        ObjectNode tree = SampleEvents.tree(event);
        tree.remove(field);

        EventDecodingException e = rejection(() -> codec.decode(SampleEvents.bytes(tree), event.getClass()));

        assertThat(e.problem()).isEqualTo(MISSING_FIELD);
        assertThat(e.getMessage()).contains(field).endsWith("is missing");
    }

    @ParameterizedTest(name = "{0} with {1}: null")
    @MethodSource("requiredFields")
    void requiredFieldSetToNullIsRejectedAsMissing(String type, String field, TokencastEvent event) {
        ObjectNode tree = SampleEvents.tree(event);
        tree.putNull(field);

        EventDecodingException e = rejection(() -> codec.decode(SampleEvents.bytes(tree)));

        assertThat(e.problem()).isEqualTo(MISSING_FIELD);
        assertThat(e.getMessage()).contains(field).endsWith("is missing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2", "\"1\"", "0", "-1", "1.5", "99999999999999999999999", "true", "{}", "[1]"})
    void unsupportedSchemaVersionIsRejected(String version) {
        ObjectNode tree = SampleEvents.tree(SampleEvents.tokenRefreshed());
        tree.set("schemaVersion", SampleEvents.literal(version));

        EventDecodingException e = rejection(() -> codec.decode(SampleEvents.bytes(tree), TokenRefreshed.class));

        assertThat(e.problem()).isEqualTo(UNSUPPORTED_SCHEMA_VERSION);
        assertThat(e.getMessage()).startsWith("schemaVersion ").contains("not supported");
    }

    @Test
    void payloadOverSixtyFourKibibytesIsRejectedBeforeParsing() {
        byte[] json = padded(codec.encode(SampleEvents.tokenRefreshed()), EventCodec.MAX_PAYLOAD_BYTES + 1);
        byte[] garbage = new byte[EventCodec.MAX_PAYLOAD_BYTES + 1];
        Arrays.fill(garbage, (byte) '{');

        EventDecodingException e = rejection(() -> codec.decode(json, TokenRefreshed.class));
        EventDecodingException unparsed = rejection(() -> codec.decode(garbage));

        assertThat(List.of(e, unparsed)).allSatisfy(rejected -> {
            assertThat(rejected.problem()).isEqualTo(PAYLOAD_TOO_LARGE);
            assertThat(rejected.getMessage()).contains("65537 bytes").contains("limit is 65536");
        });
    }

    @Test
    void payloadOfExactlySixtyFourKibibytesIsAccepted() {
        TokenRefreshed event = SampleEvents.tokenRefreshed();
        byte[] json = padded(codec.encode(event), EventCodec.MAX_PAYLOAD_BYTES);

        assertThat(codec.decode(json, TokenRefreshed.class)).isEqualTo(event);
    }

    @Test
    void aTokenOverItsCapCannotEvenBeBuiltAndIsNotPrinted() {
        String hugeToken = "T".repeat(EventCodec.MAX_PAYLOAD_BYTES);

        Throwable thrown = catchThrowable(() -> TokenRefreshed.of(
                SampleEvents.APP,
                1,
                hugeToken,
                SampleEvents.ISSUED,
                SampleEvents.ISSUED.plusSeconds(7200),
                SampleEvents.ISSUED.plusSeconds(5400),
                RefreshReason.SCHEDULED,
                "refresher-7c9d",
                null));

        assertThat(thrown).isInstanceOf(OutOfRangeException.class);
        assertThat(thrown.getMessage())
                .startsWith("TokenRefreshed.token is 65536 chars long")
                .doesNotContain("TTTT");
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            eventId       | "not-a-uuid"                           | TokenRefreshed.eventId has the wrong type or format
            eventId       | 42                                     | TokenRefreshed.eventId has the wrong type or format
            causationId   | ""                                     | TokenRefreshed.causationId has the wrong type or format
            issuedAt      | "yesterday"                            | TokenRefreshed.issuedAt has the wrong type or format
            issuedAt      | "2025-06-01T08:00:00"                  | TokenRefreshed.issuedAt has the wrong type or format
            issuedAt      | 1748764800                             | TokenRefreshed.issuedAt has the wrong type or format
            expiresAt     | 1748764800000.5                        | TokenRefreshed.expiresAt has the wrong type or format
            expiresAt     | "2025-06-01T08:00:00Z"                 | TokenRefreshed.expiresAt must be after issuedAt
            tokenKey      | "wechat-foo/wx0123456789abcdef"        | TokenRefreshed.tokenKey: unknown token kind 'wechat-foo'
            tokenKey      | "wechat-access-token"                  | TokenRefreshed.tokenKey: token key 'wechat-access-token' is not of the form
            tokenKey      | "wechat-access-token/wx01 23"          | TokenRefreshed.tokenKey: token key 'wechat-access-token/wx01 23' has whitespace
            tokenKey      | {"kind":"wechat-access-token","account":"wx0123456789abcdef"} | TokenRefreshed.tokenKey has the wrong type or format
            tokenKey      | 5                                      | TokenRefreshed.tokenKey has the wrong type or format
            kind          | "wechat-bogus"                         | TokenRefreshed.kind: unknown token kind 'wechat-bogus'
            kind          | "wechat-card-ticket"                   | TokenRefreshed.kind and account must match tokenKey
            account       | "wxsomeoneelse"                        | TokenRefreshed.kind and account must match tokenKey
            version       | "42"                                   | TokenRefreshed.version has the wrong type or format
            version       | 42.5                                   | TokenRefreshed.version has the wrong type or format
            version       | true                                   | TokenRefreshed.version has the wrong type or format
            fingerprint   | "sha256:0000000000000000"              | TokenRefreshed.fingerprint does not match the token
            fingerprint   | "md5:0123"                             | TokenRefreshed.fingerprint must look like sha256:<16 hex digits>
            token         | 12345                                  | TokenRefreshed.token has the wrong type or format
            token         | ""                                     | TokenRefreshed.token is required and must not be blank
            encryptedToken| "v1:AES-GCM:abc"                       | TokenRefreshed.token or encryptedToken is required, and only one of them
            reason        | "scheduled"                            | TokenRefreshed.reason has the wrong type or format
            reason        | 0                                      | TokenRefreshed.reason has the wrong type or format
            refresher     | "  "                                   | TokenRefreshed.refresher is required and must not be blank
            refresher     | false                                  | TokenRefreshed.refresher has the wrong type or format
            """)
    void invalidTokenRefreshedFieldIsRejectedByName(String field, String json, String message) {
        assertInvalid(SampleEvents.tokenRefreshed(), field, json, message);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            commandId     | "9a1c7e52"                             | RefreshRequested.commandId has the wrong type or format
            tokenKey      | "wechat-access-token/"                 | RefreshRequested.tokenKey: token key of kind wechat-access-token has a blank account
            ifFingerprint | "sha256:2CF24DBA5FB0A30E"              | RefreshRequested.ifFingerprint must look like sha256:<16 hex digits>
            force         | "true"                                 | RefreshRequested.force has the wrong type or format
            force         | 1                                      | RefreshRequested.force has the wrong type or format
            reason        | "SCHEDULED"                            | RefreshRequested.reason must be MANUAL, INVALID_REPORTED or REKEYED, was SCHEDULED
            requestedAt   | "2025-06-01"                           | RefreshRequested.requestedAt has the wrong type or format
            """)
    void invalidRefreshRequestedFieldIsRejectedByName(String field, String json, String message) {
        assertInvalid(SampleEvents.refreshRequested(), field, json, message);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            outcome             | "DONE"                           | RefreshAttempted.outcome has the wrong type or format
            version             | "42"                             | RefreshAttempted.version has the wrong type or format
            previousFingerprint | "2cf24dba5fb0a30e"               | RefreshAttempted.previousFingerprint must look like sha256:<16 hex digits>
            durationMs          | -1                               | RefreshAttempted.durationMs must not be negative
            at                  | "soon"                           | RefreshAttempted.at has the wrong type or format
            """)
    void invalidRefreshAttemptedFieldIsRejectedByName(String field, String json, String message) {
        assertInvalid(SampleEvents.refreshAttempted(), field, json, message);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            credentialKey | "authorizer-refresh-token/wx1.wx2"     | CredentialStored.credentialKey must be component-ticket/<account> for COMPONENT_VERIFY_TICKET
            credentialKey | "component-ticket/"                    | CredentialStored.credentialKey must be component-ticket/<account>
            kind          | "TICKET"                               | CredentialStored.kind has the wrong type or format
            fingerprint   | "sha256:0000000000000000"              | CredentialStored.fingerprint does not match the value
            encryptedValue| "v1:AES-GCM:abc"                       | CredentialStored.value or encryptedValue is required, and only one of them
            source        | 2                                      | CredentialStored.source has the wrong type or format
            """)
    void invalidCredentialStoredFieldIsRejectedByName(String field, String json, String message) {
        assertInvalid(SampleEvents.credentialStored(), field, json, message);
    }

    private void assertInvalid(TokencastEvent valid, String field, String json, String message) {
        ObjectNode tree = SampleEvents.tree(valid);
        tree.set(field, SampleEvents.literal(json));
        byte[] payload = SampleEvents.bytes(tree);

        EventDecodingException e = rejection(() -> codec.decode(payload, valid.getClass()));

        assertThat(e.problem()).isEqualTo(INVALID_FIELD);
        assertThat(e.getMessage()).contains(message);
        assertThat(rejection(() -> codec.decode(payload)).getMessage()).isEqualTo(e.getMessage());
    }

    /** Decodes and returns the rejection, after checking that nothing in it holds a secret. */
    private static EventDecodingException rejection(ThrowingCallable decode) {
        Throwable thrown = catchThrowable(decode);
        assertThat(thrown).isInstanceOf(EventDecodingException.class);
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            for (String secret : SECRETS) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain(secret);
                assertThat(t.toString()).doesNotContain(secret);
            }
        }
        return (EventDecodingException) thrown;
    }

    private static byte[] padded(byte[] json, int size) {
        String text = new String(json, StandardCharsets.UTF_8);
        int closing = text.lastIndexOf('}');
        String padding = " ".repeat(size - json.length);
        byte[] result = utf8(text.substring(0, closing) + padding + "}");
        assertThat(result).hasSize(size);
        return result;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
