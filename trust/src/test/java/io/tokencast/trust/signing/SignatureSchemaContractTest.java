package io.tokencast.trust.signing;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokencast.schema.CredentialStored;
import io.tokencast.schema.EventCodec;
import io.tokencast.schema.EventSchemas;
import io.tokencast.schema.RefreshAttempted;
import io.tokencast.schema.RefreshRequested;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRetired;
import io.tokencast.schema.TokencastEvent;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** The JSON Schemas describe the {@code signature} this verifier accepts, for every signed record type. */
class SignatureSchemaContractTest {

    static Stream<Class<? extends TokencastEvent>> signedTypes() {
        return Stream.of(SignedType.values()).map(type -> switch (type) {
            case TOKEN_REFRESHED -> io.tokencast.schema.TokenRefreshed.class;
            case TOKEN_RETIRED -> TokenRetired.class;
            case CREDENTIAL_STORED -> CredentialStored.class;
            case REFRESH_ATTEMPTED -> RefreshAttempted.class;
            case REFRESH_REQUESTED -> RefreshRequested.class;
        });
    }

    @ParameterizedTest
    @MethodSource("signedTypes")
    void schemaStatesTheVerifiersPatternAndCap(Class<? extends TokencastEvent> type) throws IOException {
        JsonNode signature = schema(type).at("/properties/signature");

        assertThat(signature.get("type").asString()).isEqualTo("string");
        assertThat(signature.get("pattern").asString()).isEqualTo("^" + RecordVerifier.DETACHED.pattern() + "$");
        assertThat(signature.get("maxLength").asInt()).isEqualTo(RecordVerifier.MAX_SIGNATURE_LENGTH);
    }

    @Test
    void aSignedRetirementVerifiesAndDecodes() {
        SigningKey key = SigningKey.generateEd25519("refresher-1", null, KeySetRole.REFRESHER);
        TokenRetired retired = TokenRetired.ofToken(
                TokenKey.parse("wechat-authorizer-access-token/wx1.wx2"),
                9,
                Instant.parse("2026-12-07T08:00:00Z"),
                TokenRetired.UNAUTHORIZED);

        byte[] signed = new RecordSigner(key).sign(EventCodec.json().encode(retired));

        assertThat(new RecordVerifier(VerificationKeys.of(KeySetRole.REFRESHER, List.of(key)))
                        .verify(signed, retired.recordKey())
                        .verdict())
                .isEqualTo(Verdict.VERIFIED);
        assertThat(EventCodec.json().decode(signed, TokenRetired.class)).isEqualTo(retired);
    }

    private static JsonNode schema(Class<? extends TokencastEvent> type) throws IOException {
        try (InputStream in = EventSchemas.class.getResourceAsStream(EventSchemas.resourcePath(type))) {
            return StrictJson.MAPPER.readTree(in.readAllBytes());
        }
    }
}
