package io.tokencast.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** What the codec writes is what the JSON Schemas describe, and what they describe the codec reads. */
class EventCodecContractTest {

    private final EventCodec codec = EventCodec.json();

    static Stream<Arguments> events() {
        return SampleEvents.all();
    }

    static Stream<Class<? extends TokencastEvent>> eventTypes() {
        return Stream.of(
                TokenRefreshed.class,
                TokenRetired.class,
                RefreshAttempted.class,
                RefreshRequested.class,
                CredentialStored.class,
                ConsumerHeartbeat.class);
    }

    static Stream<Arguments> sampleFiles() {
        return Stream.of(
                Arguments.of("/samples/token-refreshed.json", TokenRefreshed.class),
                Arguments.of("/samples/token-refreshed-with-unknown-fields.json", TokenRefreshed.class),
                Arguments.of("/samples/token-retired.json", TokenRetired.class),
                Arguments.of("/samples/token-refreshed-signed.json", TokenRefreshed.class),
                Arguments.of("/samples/refresh-attempted.json", RefreshAttempted.class),
                Arguments.of("/samples/refresh-requested.json", RefreshRequested.class),
                Arguments.of("/samples/credential-stored.json", CredentialStored.class),
                Arguments.of("/samples/consumer-heartbeat.json", ConsumerHeartbeat.class));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("events")
    void encodedEventMatchesItsSchemaAndDecodesToTheSameRecord(String name, TokencastEvent event) {
        byte[] json = codec.encode(event);

        assertThat(SchemaCheck.errors(event.getClass(), json)).isEmpty();
        assertThat(codec.decode(json)).isEqualTo(event);
        assertThat(codec.decode(json, event.getClass())).isEqualTo(event);
        assertThat(codec.decode(codec.encodeToString(event), event.getClass())).isEqualTo(event);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("events")
    void encodedEventCarriesTheEnvelopeAndNoNulls(String name, TokencastEvent event) {
        ObjectNode tree = SampleEvents.tree(event);

        assertThat(tree.get("type").asString()).isEqualTo(event.getClass().getSimpleName());
        assertThat(tree.get("schemaVersion").asInt()).isEqualTo(1);
        assertThat(tree.properties()).noneMatch(field -> field.getValue().isNull());
        assertThat(SchemaCheck.properties(event.getClass())).containsAll(tree.propertyNames());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sampleFiles")
    void sampleFileMatchesItsSchemaAndDecodes(String path, Class<? extends TokencastEvent> type) {
        byte[] json = SampleEvents.resource(path);

        assertThat(SchemaCheck.errors(type, json)).isEmpty();
        assertThat(codec.decode(json, type)).isInstanceOf(type);
        assertThat(codec.decode(json)).isInstanceOf(type);
    }

    @Test
    void sampleFilesDecodeToTheFieldsTheyHold() {
        TokenRefreshed refreshed =
                codec.decode(SampleEvents.resource("/samples/token-refreshed.json"), TokenRefreshed.class);
        RefreshRequested requested =
                codec.decode(SampleEvents.resource("/samples/refresh-requested.json"), RefreshRequested.class);
        CredentialStored stored =
                codec.decode(SampleEvents.resource("/samples/credential-stored.json"), CredentialStored.class);

        assertThat(refreshed.tokenKey()).isEqualTo(SampleEvents.APP);
        assertThat(refreshed.version()).isEqualTo(42);
        assertThat(refreshed.token()).isEqualTo(SampleEvents.TOKEN);
        assertThat(refreshed.causationId()).isEqualTo(SampleEvents.COMMAND);
        assertThat(refreshed.nextRefreshAt()).hasToString("2025-06-01T09:55:12.345Z");
        assertThat(requested.ifFingerprint()).isEqualTo(Fingerprint.of("hello"));
        assertThat(requested.commandId()).isEqualTo(refreshed.causationId());
        assertThat(stored.account()).isEqualTo("wx9876543210fedcba");
        assertThat(stored.value()).isEqualTo(SampleEvents.TICKET);
    }

    @Test
    void unknownFieldsAreIgnored() {
        byte[] json = SampleEvents.resource("/samples/token-refreshed-with-unknown-fields.json");

        TokenRefreshed event = codec.decode(json, TokenRefreshed.class);

        assertThat(event.tokenKey()).isEqualTo(TokenKey.parse("wecom-access-token/ww1234567890abcd.1000002"));
        assertThat(event.version()).isEqualTo(3);
        assertThat(event.token()).isNull();
        assertThat(event.encryptedToken()).isEqualTo("v1:AES-GCM:bm90LWEtcmVhbC1jaXBoZXJ0ZXh0");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("events")
    void unknownFieldsAddedByANewerProducerAreIgnoredByCodecAndSchema(String name, TokencastEvent event) {
        ObjectNode tree = SampleEvents.tree(event);
        tree.put("addedInALaterRelease", "x");
        tree.putObject("nested").put("anything", 1);
        byte[] json = SampleEvents.bytes(tree);

        assertThat(SchemaCheck.errors(event.getClass(), json)).isEmpty();
        assertThat(codec.decode(json)).isEqualTo(event);
    }

    @Test
    void refreshRequestedWithoutForceMeansNormalMode() {
        ObjectNode tree = SampleEvents.tree(SampleEvents.refreshRequested());
        tree.remove("force");
        byte[] json = SampleEvents.bytes(tree);

        assertThat(SchemaCheck.errors(RefreshRequested.class, json)).isEmpty();
        assertThat(codec.decode(json, RefreshRequested.class).force()).isFalse();
    }

    @Test
    void onBehalfOfIsOptionalOnCommandsAndAuditAndBlankIsRefused() {
        for (TokencastEvent event :
                List.<TokencastEvent>of(SampleEvents.refreshRequested(), SampleEvents.refreshAttempted())) {
            ObjectNode tree = SampleEvents.tree(event);
            assertThat(tree.get("onBehalfOf").asString()).isEqualTo("anna@example.com");
            tree.remove("onBehalfOf");
            byte[] without = SampleEvents.bytes(tree);
            assertThat(SchemaCheck.errors(event.getClass(), without)).isEmpty();
            assertThat(codec.decode(without, event.getClass())).hasFieldOrPropertyWithValue("onBehalfOf", null);

            tree.put("onBehalfOf", " ");
            byte[] blank = SampleEvents.bytes(tree);
            assertThat(SchemaCheck.errors(event.getClass(), blank)).isNotEmpty();
            assertThatThrownBy(() -> codec.decode(blank, event.getClass()))
                    .isInstanceOf(EventDecodingException.class)
                    .hasMessageContaining("onBehalfOf");
        }
        assertThat(SampleEvents.refreshRequestedMinimal().onBehalfOf()).isNull();
        assertThat(SampleEvents.refreshRequestedMinimal().onBehalfOf("anna").onBehalfOf())
                .isEqualTo("anna");
    }

    @ParameterizedTest
    @MethodSource("eventTypes")
    void schemaIsAValidDraft202012SchemaForItsType(Class<? extends TokencastEvent> type) {
        JsonNode schema = SchemaCheck.schemaNode(type);

        assertThat(SchemaCheck.metaSchemaErrors(type)).isEmpty();
        assertThat(schema.get("$schema").asString()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(schema.get("$id").asString()).isEqualTo(EventSchemas.id(type));
        assertThat(schema.at("/properties/type/const").asString()).isEqualTo(type.getSimpleName());
        assertThat(schema.at("/properties/schemaVersion/const").asInt()).isEqualTo(TokencastEvent.SCHEMA_VERSION);
        assertThat(schema.get("additionalProperties").asBoolean()).isTrue();
        assertThat(SchemaCheck.required(type)).startsWith("type", "schemaVersion");
    }

    @Test
    void schemaPathsFollowTheEventNames() {
        assertThat(EventSchemas.resourcePath(TokenRefreshed.class)).isEqualTo("/schemas/token-refreshed.schema.json");
        assertThat(EventSchemas.resourcePath(RefreshAttempted.class))
                .isEqualTo("/schemas/refresh-attempted.schema.json");
        assertThat(EventSchemas.resourcePath(RefreshRequested.class))
                .isEqualTo("/schemas/refresh-requested.schema.json");
        assertThat(EventSchemas.resourcePath(CredentialStored.class))
                .isEqualTo("/schemas/credential-stored.schema.json");
        assertThat(EventSchemas.id(TokenRefreshed.class))
                .isEqualTo("https://tokencast.io/schemas/token-refreshed.schema.json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("events")
    void schemaRejectsTheEventWithoutItsKey(String name, TokencastEvent event) {
        String keyField = event instanceof CredentialStored
                        || (event instanceof TokenRetired retired && retired.credentialKey() != null)
                ? "credentialKey"
                : event instanceof ConsumerHeartbeat ? "instanceId" : "tokenKey";
        ObjectNode tree = SampleEvents.tree(event);
        tree.remove(keyField);

        assertThat(SchemaCheck.errors(event.getClass(), SampleEvents.bytes(tree)))
                .anySatisfy(error -> assertThat(error).contains(keyField));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("events")
    void optionalFieldsOfTheSchemaAreOptionalForTheCodec(String name, TokencastEvent event) {
        List<String> required = SchemaCheck.required(event.getClass());
        List<String> alternatives =
                List.of("token", "encryptedToken", "value", "encryptedValue", "tokenKey", "credentialKey");
        for (String field : SchemaCheck.properties(event.getClass())) {
            if (required.contains(field) || alternatives.contains(field)) {
                continue;
            }
            ObjectNode tree = SampleEvents.tree(event);
            if (field.equals("version") && tree.has("encryptedValue")) {
                continue; // required with encryptedValue: see encryptedCredentialsNeedTheirVersion
            }
            tree.remove(field);
            byte[] json = SampleEvents.bytes(tree);

            assertThat(SchemaCheck.errors(event.getClass(), json)).as(field).isEmpty();
            assertThat(codec.decode(json, event.getClass())).as(field).isNotNull();
        }
    }

    @Test
    void encryptedCredentialsNeedTheirVersion() {
        ObjectNode tree = SampleEvents.tree(SampleEvents.credentialStoredEncrypted());
        tree.remove("version");
        byte[] json = SampleEvents.bytes(tree);

        assertThat(SchemaCheck.errors(CredentialStored.class, json))
                .anySatisfy(e -> assertThat(e).contains("version"));
        assertThatThrownBy(() -> codec.decode(json, CredentialStored.class))
                .isInstanceOf(EventDecodingException.class)
                .hasMessageContaining("version");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/eventId=not-a-uuid",
                "/issuedAt=yesterday",
                "/issuedAt=2025-06-01T08:00:00",
                "/fingerprint=sha256:CF5E5171EDD87404",
                "/reason=scheduled",
                "/tokenKey=wechat-access-token/wx01 23",
                "/tokenKey=wechat-foo/wx0123",
                "/refresher= ",
                "/schemaVersion=2",
                "/type=RefreshRequested"
            })
    void tokenRefreshedSchemaRejectsWhatTheCodecRejects(String edit) {
        ObjectNode tree = SampleEvents.tree(SampleEvents.tokenRefreshed());
        String field = edit.substring(1, edit.indexOf('='));
        String value = edit.substring(edit.indexOf('=') + 1);
        if (field.equals("schemaVersion")) {
            tree.put(field, Integer.parseInt(value));
        } else {
            tree.put(field, value);
        }

        assertThat(SchemaCheck.errors(TokenRefreshed.class, SampleEvents.bytes(tree)))
                .anySatisfy(error -> assertThat(error).contains(field));
    }

    @Test
    void tokenRefreshedSchemaRejectsAKindThatDisagreesWithTheKey() {
        ObjectNode tree = SampleEvents.tree(SampleEvents.tokenRefreshed()).put("kind", "wechat-card-ticket");

        assertThat(SchemaCheck.errors(TokenRefreshed.class, SampleEvents.bytes(tree)))
                .anySatisfy(error -> assertThat(error).contains("tokenKey"));
    }

    @Test
    void tokenRefreshedSchemaRejectsVersionZeroAndAStringVersion() {
        ObjectNode zero = SampleEvents.tree(SampleEvents.tokenRefreshed()).put("version", 0);
        ObjectNode text = SampleEvents.tree(SampleEvents.tokenRefreshed()).put("version", "42");

        assertThat(SchemaCheck.errors(TokenRefreshed.class, SampleEvents.bytes(zero)))
                .isNotEmpty();
        assertThat(SchemaCheck.errors(TokenRefreshed.class, SampleEvents.bytes(text)))
                .isNotEmpty();
    }

    @Test
    void schemasRejectBothOrNeitherOfTheSecretAndItsEncryptedForm() {
        ObjectNode both = SampleEvents.tree(SampleEvents.tokenRefreshed()).put("encryptedToken", "v1:abc");
        ObjectNode neither = SampleEvents.tree(SampleEvents.tokenRefreshed());
        neither.remove("token");
        ObjectNode bothValues =
                SampleEvents.tree(SampleEvents.credentialStored()).put("encryptedValue", "v1:abc");

        assertThat(SchemaCheck.errors(TokenRefreshed.class, SampleEvents.bytes(both)))
                .isNotEmpty();
        assertThat(SchemaCheck.errors(TokenRefreshed.class, SampleEvents.bytes(neither)))
                .isNotEmpty();
        assertThat(SchemaCheck.errors(CredentialStored.class, SampleEvents.bytes(bothValues)))
                .isNotEmpty();
    }

    @Test
    void credentialStoredSchemaRejectsAKeyOfTheOtherKind() {
        ObjectNode tree = SampleEvents.tree(SampleEvents.credentialStored())
                .put("credentialKey", "authorizer-refresh-token/wx9876543210fedcba.wxaabbccddeeff0011");

        assertThat(SchemaCheck.errors(CredentialStored.class, SampleEvents.bytes(tree)))
                .anySatisfy(error -> assertThat(error).contains("credentialKey"));
    }

    @Test
    void refreshRequestedSchemaOnlyAcceptsRequestableReasons() {
        ObjectNode tree = SampleEvents.tree(SampleEvents.refreshRequested()).put("reason", "SCHEDULED");

        assertThat(SchemaCheck.errors(RefreshRequested.class, SampleEvents.bytes(tree)))
                .anySatisfy(error -> assertThat(error).contains("reason"));
    }

    static Stream<Class<? extends TokencastEvent>> signedTypes() {
        return Stream.of(
                TokenRefreshed.class,
                TokenRetired.class,
                RefreshAttempted.class,
                RefreshRequested.class,
                CredentialStored.class);
    }

    @ParameterizedTest
    @MethodSource("signedTypes")
    void signedTypesAcceptADetachedJwsSignatureWhichTheCodecLeavesToTheVerifier(Class<? extends TokencastEvent> type) {
        TokencastEvent sample = SampleEvents.all()
                .map(arguments -> (TokencastEvent) arguments.get()[1])
                .filter(type::isInstance)
                .findFirst()
                .orElseThrow();
        String detached = "eyJhbGciOiJFZERTQSJ9..c2lnbmF0dXJl_-";
        byte[] signed = SampleEvents.bytes(SampleEvents.tree(sample).put("signature", detached));

        assertThat(SchemaCheck.errors(type, signed)).isEmpty();
        assertThat(codec.decode(signed, type)).isEqualTo(sample);
        for (String malformed : List.of("eyJhbGciOiJFZERTQSJ9.cGF5bG9hZA.c2ln", "..c2ln", "a..b=", "a..b\n", "")) {
            byte[] forged = SampleEvents.bytes(SampleEvents.tree(sample).put("signature", malformed));
            assertThat(SchemaCheck.errors(type, forged)).as(malformed).anySatisfy(e -> assertThat(e)
                    .contains("signature"));
        }
        byte[] tooLong = SampleEvents.bytes(
                SampleEvents.tree(sample).put("signature", "a..".concat("b".repeat(Ranges.MAX_SIGNATURE_CHARS - 2))));
        assertThat(SchemaCheck.errors(type, tooLong))
                .anySatisfy(e -> assertThat(e).contains("signature"));
    }

    @Test
    void tokenRetiredNamesExactlyOneKeyAndAnUpperCaseReason() {
        ObjectNode both = SampleEvents.tree(SampleEvents.tokenRetired())
                .put("credentialKey", "authorizer-refresh-token/wx9876543210fedcba.wxaabbccddeeff0011");
        ObjectNode neither = SampleEvents.tree(SampleEvents.tokenRetired());
        neither.remove("tokenKey");
        ObjectNode lowerCase = SampleEvents.tree(SampleEvents.tokenRetired()).put("reason", "unauthorized");
        ObjectNode future = SampleEvents.tree(SampleEvents.tokenRetired()).put("reason", "A_LATER_CODE");

        for (ObjectNode rejected : List.of(both, neither, lowerCase)) {
            assertThat(SchemaCheck.errors(TokenRetired.class, SampleEvents.bytes(rejected)))
                    .isNotEmpty();
            assertThatThrownBy(() -> codec.decode(SampleEvents.bytes(rejected), TokenRetired.class))
                    .isInstanceOf(EventDecodingException.class);
        }
        assertThat(SchemaCheck.errors(TokenRetired.class, SampleEvents.bytes(future)))
                .isEmpty();
        assertThat(codec.decode(SampleEvents.bytes(future), TokenRetired.class).reason())
                .isEqualTo("A_LATER_CODE");
        assertThat(SampleEvents.tokenRetiredCredential().recordKey())
                .isEqualTo("authorizer-refresh-token/wx9876543210fedcba.wxaabbccddeeff0011");
    }

    @Test
    void refreshAttemptedSchemaTakesAnyTokenKeyUpToItsLimit() {
        ObjectNode odd = SampleEvents.tree(SampleEvents.refreshAttempted()).put("tokenKey", "not a key / at all");
        ObjectNode tooLong = SampleEvents.tree(SampleEvents.refreshAttempted()).put("tokenKey", "k".repeat(1001));

        assertThat(SchemaCheck.errors(RefreshAttempted.class, SampleEvents.bytes(odd)))
                .isEmpty();
        assertThat(SchemaCheck.errors(RefreshAttempted.class, SampleEvents.bytes(tooLong)))
                .isNotEmpty();
    }
}
