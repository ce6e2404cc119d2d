package io.tokencast.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Realistic events for the contract tests, each with every optional field set, or only the required ones. */
final class SampleEvents {

    static final String TOKEN =
            "86_Xm3pQ7rT9vL2kN8sD4fG6hJ1aZ5cV0bN7mQ3wE9rT2yU4iO6pA8sD1fG3hJ5kL7zX9cV2bN4mQ6wE8rT0yU";
    static final String TICKET = "ticket@@@xq9Y2bV7nK4mD1sF8hJ3gL6pZ0wE5rT";
    static final String REFRESH_TOKEN = "refreshtoken@@@Ab3Cd5Ef7Gh9Ij1Kl3Mn5Op7Qr9St1Uv3Wx5Yz";
    static final Instant ISSUED = Instant.parse("2025-06-01T08:00:00Z");
    static final TokenKey APP = TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, "wx0123456789abcdef");
    static final UUID COMMAND = UUID.fromString("9a1c7e52-0b3d-4f86-a2e4-5d6c7b8a9f01");

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private SampleEvents() {}

    /** The event as the codec writes it, as a tree to edit. */
    static ObjectNode tree(TokencastEvent event) {
        return (ObjectNode) MAPPER.readTree(EventCodec.json().encode(event));
    }

    /** A JSON value written as JSON text, e.g. {@code 42}, {@code "x"}, {@code null}. */
    static JsonNode literal(String json) {
        return MAPPER.readTree(json);
    }

    static byte[] bytes(JsonNode tree) {
        return MAPPER.writeValueAsBytes(tree);
    }

    static TokenRefreshed tokenRefreshed() {
        return TokenRefreshed.of(
                APP,
                42,
                TOKEN,
                ISSUED,
                ISSUED.plusSeconds(7200),
                ISSUED.plusSeconds(7200 - 300),
                RefreshReason.INVALID_REPORTED,
                "refresher-7c9d",
                COMMAND);
    }

    static TokenRefreshed tokenRefreshedEncrypted() {
        return new TokenRefreshed(
                UUID.fromString("7d0e4a21-5b8c-4f3e-8a6d-2c1b0e9f8a77"),
                TokenKey.parse("wecom-access-token/ww1234567890abcd.1000002"),
                TokenKind.WECOM_ACCESS_TOKEN,
                "ww1234567890abcd.1000002",
                3,
                null,
                "v1:AES-GCM:bm90LWEtcmVhbC1jaXBoZXJ0ZXh0",
                Fingerprint.of(TOKEN),
                ISSUED,
                ISSUED.plusSeconds(7200),
                ISSUED.plusSeconds(5400),
                RefreshReason.SCHEDULED,
                "refresher-7c9d",
                null);
    }

    static RefreshAttempted refreshAttempted() {
        return new RefreshAttempted(
                UUID.fromString("c4e1a9b7-2f3d-4a8c-b6e5-0d9f1c2b3a48"),
                APP.asString(),
                AttemptOutcome.FAILED,
                42L,
                Fingerprint.of(TOKEN),
                Fingerprint.of("hello"),
                RefreshReason.INVALID_REPORTED,
                COMMAND,
                "order-service-5f6b7",
                "40125",
                "invalid appsecret, rid: 6650a1b2-3c4d5e6f",
                183L,
                "refresher-7c9d",
                ISSUED.plusMillis(1250),
                "tenant-a-2026-12",
                "anna@example.com");
    }

    /** A rejected command is audited under the key it arrived with, even one that is not a token key. */
    static RefreshAttempted refreshAttemptedRejectedMinimal() {
        return new RefreshAttempted(
                UUID.fromString("0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e"),
                "wechat-bogus-token/wx 01",
                AttemptOutcome.REJECTED,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                "refresher-7c9d",
                ISSUED,
                null);
    }

    static RefreshRequested refreshRequested() {
        return new RefreshRequested(
                COMMAND,
                APP,
                Fingerprint.of("hello"),
                true,
                RefreshReason.INVALID_REPORTED,
                "order-service-5f6b7",
                ISSUED.plusSeconds(3600),
                "anna@example.com");
    }

    static RefreshRequested refreshRequestedMinimal() {
        return RefreshRequested.manual(
                TokenKey.of(TokenKind.WECHAT_JSAPI_TICKET, "wx0123456789abcdef"), false, "ops@example.com", ISSUED);
    }

    static CredentialStored credentialStored() {
        return CredentialStored.of(
                CredentialKind.COMPONENT_VERIFY_TICKET,
                "wx9876543210fedcba",
                TICKET,
                ISSUED,
                ISSUED.plusSeconds(12 * 3600),
                CredentialSource.CALLBACK,
                "refresher-7c9d");
    }

    static CredentialStored credentialStoredMinimal() {
        return CredentialStored.of(
                CredentialKind.AUTHORIZER_REFRESH_TOKEN,
                "wx9876543210fedcba.wxaabbccddeeff0011",
                REFRESH_TOKEN,
                ISSUED,
                null,
                CredentialSource.WECHAT_RESPONSE,
                "refresher-7c9d");
    }

    static CredentialStored credentialStoredEncrypted() {
        return new CredentialStored(
                UUID.fromString("e8b7a6c5-4d3e-4f2a-9b1c-0a9b8c7d6e5f"),
                "authorizer-refresh-token/wx9876543210fedcba.wxaabbccddeeff0011",
                CredentialKind.AUTHORIZER_REFRESH_TOKEN,
                null,
                "v1:AES-GCM:ZW5jcnlwdGVkLXJlZnJlc2gtdG9rZW4=",
                Fingerprint.of(REFRESH_TOKEN),
                ISSUED,
                null,
                CredentialSource.ADMIN,
                "ops@example.com",
                5L);
    }

    static TokenRetired tokenRetired() {
        return new TokenRetired(
                UUID.fromString("3f2e1d0c-9b8a-4c7d-8e6f-5a4b3c2d1e0f"),
                TokenKey.of(TokenKind.WECHAT_AUTHORIZER_ACCESS_TOKEN, "wx9876543210fedcba.wxaabbccddeeff0011"),
                null,
                43,
                ISSUED.plusSeconds(600),
                TokenRetired.UNAUTHORIZED);
    }

    static TokenRetired tokenRetiredCredential() {
        return TokenRetired.ofCredential(
                "authorizer-refresh-token/wx9876543210fedcba.wxaabbccddeeff0011",
                6,
                ISSUED.plusSeconds(600),
                TokenRetired.UNAUTHORIZED);
    }

    static ConsumerHeartbeat consumerHeartbeat() {
        return new ConsumerHeartbeat(
                "order-service@host-7f3a.5b2c9e1d",
                "order-service",
                "host-7f3a",
                "0.1.0",
                ISSUED,
                ISSUED.plusSeconds(90),
                new ConsumerHeartbeat.Contact(ISSUED.plusSeconds(88), false, 0L),
                List.of("wechat-access-token/*"),
                List.of("k-2025-06"),
                List.of(
                        new ConsumerHeartbeat.HeldVersion(APP, 42, Fingerprint.of(TOKEN)),
                        new ConsumerHeartbeat.HeldVersion(
                                TokenKey.of(TokenKind.WECHAT_JSAPI_TICKET, "wx0123456789abcdef"),
                                7,
                                Fingerprint.of(TICKET))),
                new ConsumerHeartbeat.Signatures(true, List.of("refresher-2025-06"), "BC"));
    }

    static ConsumerHeartbeat consumerHeartbeatMinimal() {
        return new ConsumerHeartbeat("i-1", "billing", "host-1", "0.1.0", ISSUED, ISSUED, null, null, null, null);
    }

    /** Named events of every type: all optional fields set, only the required ones, encrypted variants. */
    static Stream<Arguments> all() {
        Stream<Arguments> everyTokenKind = Stream.of(TokenKind.values())
                .map(kind -> Arguments.of(
                        "TokenRefreshed of kind " + kind,
                        TokenRefreshed.of(
                                TokenKey.of(kind, "wx0123456789abcdef.1000002"),
                                1,
                                TOKEN,
                                ISSUED,
                                ISSUED.plusSeconds(7200),
                                ISSUED.plusSeconds(5400),
                                RefreshReason.STARTUP,
                                "refresher-7c9d",
                                null)));
        Stream<Arguments> named = Stream.of(
                Arguments.of("TokenRefreshed with every field", tokenRefreshed()),
                Arguments.of("TokenRefreshed encrypted, required fields only", tokenRefreshedEncrypted()),
                Arguments.of(
                        "TokenRefreshed with nanosecond instants and the largest version",
                        TokenRefreshed.of(
                                APP,
                                Ranges.MAX_VERSION,
                                TOKEN,
                                ISSUED.plusNanos(123_456_789),
                                ISSUED.plusSeconds(7200).plusNanos(1),
                                ISSUED.plusSeconds(5400).plusMillis(7),
                                RefreshReason.RECOVERY,
                                "refresher-7c9d",
                                null)),
                Arguments.of("RefreshAttempted with every field", refreshAttempted()),
                Arguments.of("RefreshAttempted rejected, required fields only", refreshAttemptedRejectedMinimal()),
                Arguments.of("RefreshRequested with every field", refreshRequested()),
                Arguments.of("RefreshRequested manual, required fields only", refreshRequestedMinimal()),
                Arguments.of("CredentialStored ticket with every field", credentialStored()),
                Arguments.of("CredentialStored refresh token, required fields only", credentialStoredMinimal()),
                Arguments.of("CredentialStored encrypted", credentialStoredEncrypted()),
                Arguments.of("TokenRetired of a token key", tokenRetired()),
                Arguments.of("TokenRetired of a credential key", tokenRetiredCredential()),
                Arguments.of("ConsumerHeartbeat with every field", consumerHeartbeat()),
                Arguments.of("ConsumerHeartbeat, required fields only", consumerHeartbeatMinimal()));
        return Stream.concat(named, everyTokenKind);
    }

    static byte[] resource(String path) {
        try (InputStream in = SampleEvents.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
