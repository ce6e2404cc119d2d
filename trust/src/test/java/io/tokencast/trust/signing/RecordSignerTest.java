package io.tokencast.trust.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordSignerTest {

    private static final String TOKEN =
            "{\"type\":\"TokenRefreshed\",\"schemaVersion\":1,\"tokenKey\":\"wechat-access-token/wx1\","
                    + "\"version\":7,\"token\":\"secret-token\"}";
    private static final String COMMAND =
            "{\"type\":\"RefreshRequested\",\"schemaVersion\":1,\"tokenKey\":\"wechat-access-token/wx1\","
                    + "\"requestedBy\":\"alice\",\"force\":true}";

    @Test
    void es256SignaturesVerify() {
        SigningKey key = SigningKey.generateEs256("ec-1", null, KeySetRole.REFRESHER);
        RecordVerifier verifier = new RecordVerifier(VerificationKeys.of(KeySetRole.REFRESHER, List.of(key)));

        byte[] signed = new RecordSigner(key).sign(bytes(TOKEN));

        assertThat(verifier.verify(signed, "wechat-access-token/wx1").verdict()).isEqualTo(Verdict.VERIFIED);
    }

    @Test
    void reSigningReplacesTheSignatureInsteadOfCoveringIt() {
        SigningKey key = SigningKey.generateEd25519("ed-1", null, KeySetRole.REFRESHER);
        RecordSigner signer = new RecordSigner(key);
        RecordVerifier verifier = new RecordVerifier(VerificationKeys.of(KeySetRole.REFRESHER, List.of(key)));

        byte[] twice = signer.sign(signer.sign(bytes(TOKEN)));

        assertThat(verifier.verify(twice, "wechat-access-token/wx1").verdict()).isEqualTo(Verdict.VERIFIED);
    }

    @Test
    void signingKeepsTheRecordsBytesAndAddsTheSignatureLast() {
        SigningKey key = SigningKey.generateEd25519("ed-1", null, KeySetRole.REFRESHER);
        RecordSigner signer = new RecordSigner(key);

        byte[] signed = signer.sign(bytes(TOKEN));

        // The same bytes as writing the record's tree again with the member added, without writing it again.
        tools.jackson.databind.node.ObjectNode tree = StrictJson.object(bytes(TOKEN), "the record");
        tree.put("signature", signer.signature(bytes(TOKEN)));
        assertThat(signed).isEqualTo(StrictJson.MAPPER.writeValueAsBytes(tree));
        assertThat(new String(signed, StandardCharsets.UTF_8))
                .startsWith(TOKEN.substring(0, TOKEN.length() - 1) + ",\"signature\":\"");
    }

    @Test
    void trailingWhitespaceAfterTheRecordIsNoObstacle() {
        SigningKey key = SigningKey.generateEd25519("ed-1", null, KeySetRole.REFRESHER);
        RecordVerifier verifier = new RecordVerifier(VerificationKeys.of(KeySetRole.REFRESHER, List.of(key)));

        byte[] signed = new RecordSigner(key).sign(bytes(TOKEN + " \n"));

        assertThat(verifier.verify(signed, "wechat-access-token/wx1").verdict()).isEqualTo(Verdict.VERIFIED);
    }

    @Test
    void aRecordFollowedByMoreJsonIsNoRecordToSign() {
        SigningKey key = SigningKey.generateEd25519("ed-1", null, KeySetRole.REFRESHER);

        assertThatThrownBy(() -> new RecordSigner(key).sign(bytes(TOKEN + TOKEN)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRefresherKeyNeverSignsACommand() {
        SigningKey key = SigningKey.generateEd25519("ed-1", null, KeySetRole.REFRESHER);

        assertThatThrownBy(() -> new RecordSigner(key).sign(bytes(COMMAND)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("never mixed");
    }

    @Test
    void anOperatorKeyNeedsAName() {
        assertThatThrownBy(() -> SigningKey.generateEd25519("op-1", null, KeySetRole.OPERATORS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no \"name\"");
    }

    @Test
    void aTokenIsNotVerifiedWithTheOperatorSet() {
        SigningKey operator = SigningKey.generateEd25519("op-1", "alice", KeySetRole.OPERATORS);
        RecordVerifier operators = new RecordVerifier(VerificationKeys.of(KeySetRole.OPERATORS, List.of(operator)));

        assertThat(operators.verify(bytes(TOKEN), "wechat-access-token/wx1").verdict())
                .isEqualTo(Verdict.UNSIGNABLE_TYPE);
    }

    @Test
    void aReaderSetRefusesPrivateKeyMaterial() {
        SigningKey key = SigningKey.generateEd25519("ed-1", null, KeySetRole.REFRESHER);

        assertThatThrownBy(() -> VerificationKeys.parse(key.privateJwkSetJson(), KeySetRole.REFRESHER))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("private key material");
    }

    @Test
    void generatedKeysRoundTripThroughTheirJwkFiles() {
        SigningKey key = SigningKey.generateEd25519("op-1", "alice", KeySetRole.OPERATORS);
        SigningKey loaded = SigningKey.parse(key.privateJwkSetJson(), KeySetRole.OPERATORS, "op-1");
        RecordVerifier verifier =
                new RecordVerifier(VerificationKeys.parse(key.publicJwkSetJson(), KeySetRole.OPERATORS));

        Verification verification =
                verifier.verify(new RecordSigner(loaded).sign(bytes(COMMAND)), "wechat-access-token/wx1");

        assertThat(verification.signer()).isEqualTo("alice");
        assertThat(key.toString()).doesNotContain(key.privateJwkSetJson().substring(20, 40));
    }

    @Test
    void aHeaderWithExtraMembersIsRefused() {
        SigningKey key = SigningKey.generateEd25519("ed-1", null, KeySetRole.REFRESHER);
        RecordVerifier verifier = new RecordVerifier(VerificationKeys.of(KeySetRole.REFRESHER, List.of(key)));
        String header = java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                        "{\"alg\":\"EdDSA\",\"b64\":false,\"crit\":[\"b64\"],\"kid\":\"ed-1\",\"typ\":\"tokencast-token+jws\"}"
                                .getBytes(StandardCharsets.UTF_8));
        String record = TOKEN.substring(0, TOKEN.length() - 1) + ",\"signature\":\"" + header + "..AAAA\"}";

        assertThat(verifier.verify(bytes(record), "wechat-access-token/wx1").verdict())
                .isEqualTo(Verdict.BAD_HEADER);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
