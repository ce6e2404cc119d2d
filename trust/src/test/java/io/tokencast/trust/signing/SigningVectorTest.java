package io.tokencast.trust.signing;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokencast.trust.JoseVectors;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** signing.json: Ed25519 is deterministic, so our signer must produce the published signature byte for byte. */
class SigningVectorTest {

    private final JsonNode vector = JoseVectors.json("signing.json");
    private final byte[] record = vector.get("record").toString().getBytes(StandardCharsets.UTF_8);
    private final SigningKey key = SigningKey.parse(
            JoseVectors.file("refresher.private.jwks.json"),
            KeySetRole.REFRESHER,
            vector.get("kid").asString());

    @Test
    void canonicalFormIsThePublishedOne() {
        String canonical =
                new String(StrictJson.canonical(StrictJson.object(record, "vector")), StandardCharsets.UTF_8);

        assertThat(canonical).isEqualTo(vector.get("canonical").asString());
    }

    @Test
    void signsThePublishedSignatureByteForByte() {
        assertThat(new RecordSigner(key).signature(record))
                .isEqualTo(vector.get("signature").asString());
    }

    @Test
    void aSignedRecordVerifiesWithThePublicSet() {
        byte[] signed = new RecordSigner(key).sign(record);
        RecordVerifier verifier = new RecordVerifier(
                VerificationKeys.parse(JoseVectors.file("refresher.jwks.json"), KeySetRole.REFRESHER));

        assertThat(verifier.verify(signed, "wechat-access-token/wx0123456789abcdef"))
                .isEqualTo(new Verification(Verdict.VERIFIED, "refresher-2026-12", null, null));
    }
}
