package io.tokencast.trust.signing;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokencast.trust.JoseVectors;
import io.tokencast.trust.JoseVectors.Case;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every case of the independent vectors, as far as signatures decide it. The cases that carry a JWE are
 * validly signed (one of them is caught only by the JWE identity check, which the encryption tests prove).
 */
class SignatureVectorsTest {

    private static final Map<String, RecordVerifier> VERIFIERS = Map.of(
            "refresher",
            new RecordVerifier(VerificationKeys.parse(JoseVectors.file("refresher.jwks.json"), KeySetRole.REFRESHER)),
            "operators",
            new RecordVerifier(VerificationKeys.parse(JoseVectors.file("operators.jwks.json"), KeySetRole.OPERATORS)));

    static Stream<Case> plainCases() {
        return JoseVectors.cases().stream().filter(c -> !c.encrypted());
    }

    static Stream<Case> encryptedCases() {
        return JoseVectors.cases().stream().filter(Case::encrypted);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plainCases")
    void reachesTheVectorsVerdict(Case vector) {
        Verification verification = VERIFIERS.get(vector.verifyWith()).verify(vector.bytes(), recordKey(vector));

        assertThat(verification.isVerified())
                .as("%s (%s): %s", vector.name(), vector.why(), verification)
                .isEqualTo(vector.valid());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("encryptedCases")
    void encryptedRecordsAreValidlySigned(Case vector) {
        Verification verification = VERIFIERS.get(vector.verifyWith()).verify(vector.bytes(), recordKey(vector));

        assertThat(verification.verdict())
                .as("%s: %s", vector.name(), verification)
                .isEqualTo(Verdict.VERIFIED);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plainCases")
    void rejectsForTheReasonTheVectorGives(Case vector) {
        Verdict expected =
                switch (vector.name()) {
                    case "token-tampered-version", "token-member-added" -> Verdict.BAD_SIGNATURE;
                    case "token-duplicate-member" -> Verdict.DUPLICATE_MEMBER;
                    case "token-unsigned" -> Verdict.UNSIGNED;
                    case "token-wrong-typ" -> Verdict.WRONG_TYP;
                    case "token-alg-disagrees-with-key" -> Verdict.ALG_MISMATCH;
                    case "token-unknown-kid", "token-operator-key", "command-refresher-key" -> Verdict.UNKNOWN_KID;
                    case "token-eddsa-under-another-kafka-key" -> Verdict.KEY_MISMATCH;
                    default -> Verdict.VERIFIED;
                };

        assertThat(VERIFIERS
                        .get(vector.verifyWith())
                        .verify(vector.bytes(), recordKey(vector))
                        .verdict())
                .isEqualTo(expected);
    }

    @Test
    void anOperatorCommandIsCreditedToTheVerifiedKeysName() {
        Case command = JoseVectors.cases().stream()
                .filter(c -> c.name().equals("command-operator"))
                .findFirst()
                .orElseThrow();

        Verification verification = VERIFIERS.get("operators").verify(command.bytes(), recordKey(command));

        assertThat(verification.signer()).isEqualTo("oncall");
        assertThat(verification.kid()).isEqualTo("oncall-2026");
    }

    /** The Kafka key the record arrived under: the case's own, else the record's tokenKey / credentialKey. */
    static String recordKey(Case vector) {
        if (vector.kafkaKey() != null) {
            return vector.kafkaKey();
        }
        // A lenient parse (the last duplicate wins): only the verifier under test must be strict.
        JsonNode tree = JsonMapper.builder().build().readTree(vector.record());
        return tree.has("tokenKey")
                ? tree.get("tokenKey").asString()
                : tree.get("credentialKey").asString();
    }
}
