package io.tokencast.trust.encryption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokencast.schema.CredentialStored;
import io.tokencast.schema.EventCodec;
import io.tokencast.schema.Fingerprint;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.trust.JoseVectors;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The decrypter reaches every encryption verdict and plaintext of the independent vectors. */
class JoseVectorsDecryptionTest {

    private final RecordEncryption encryption =
            RecordEncryption.with(EncryptionKeyring.parse(JoseVectors.file("encryption.jwks.json")));
    private final EventCodec codec = EventCodec.json();

    static List<JoseVectors.Case> encryptedCases() {
        return JoseVectors.cases().stream().filter(JoseVectors.Case::encrypted).toList();
    }

    private static boolean isCredential(JoseVectors.Case vector) {
        return vector.record().contains("\"type\": \"CredentialStored\"");
    }

    @Test
    void theVectorsHoldEncryptedCasesOfBothVerdictsAndBothRecordTypes() {
        List<JoseVectors.Case> cases = encryptedCases();
        assertThat(cases).anyMatch(JoseVectors.Case::valid).anyMatch(c -> !c.valid());
        assertThat(cases).anyMatch(c -> isCredential(c)).anyMatch(c -> !isCredential(c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("encryptedCases")
    void reachesTheVerdictAndPlaintext(JoseVectors.Case vector) {
        byte[] bytes = vector.bytes();
        if (isCredential(vector)) {
            CredentialStored credential = codec.decode(bytes, CredentialStored.class);
            assertVerdict(vector, () -> encryption.reveal(credential), credential.fingerprint());
        } else {
            TokenRefreshed event = codec.decode(bytes, TokenRefreshed.class);
            assertVerdict(vector, () -> encryption.reveal(event), event.fingerprint());
        }
    }

    private static void assertVerdict(JoseVectors.Case vector, Reveal reveal, String fingerprint) {
        if (vector.valid()) {
            String plaintext = reveal.get();
            assertThat(plaintext).isEqualTo(vector.plaintext());
            assertThat(Fingerprint.of(plaintext))
                    .as("fingerprint is over the plaintext")
                    .isEqualTo(fingerprint);
        } else {
            assertThatThrownBy(reveal::get)
                    .isInstanceOf(EncryptionException.class)
                    .satisfies(e -> assertThat(((EncryptionException) e).problem())
                            .isEqualTo(EncryptionException.Problem.IDENTITY_MISMATCH));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("encryptedCases")
    void aReaderWithoutTheKidSaysNoKeyInsteadOfGarbage(JoseVectors.Case vector) {
        RecordEncryption stranger = RecordEncryption.with(EncryptionKeyring.generate("another-kid", List.of("*")));
        byte[] bytes = vector.bytes();
        Reveal reveal = isCredential(vector)
                ? () -> stranger.reveal(codec.decode(bytes, CredentialStored.class))
                : () -> stranger.reveal(codec.decode(bytes, TokenRefreshed.class));
        assertThatThrownBy(reveal::get).isInstanceOf(EncryptionException.class).satisfies(e -> assertThat(
                        ((EncryptionException) e).problem())
                .isIn(EncryptionException.Problem.NO_KEY, EncryptionException.Problem.IDENTITY_MISMATCH));
    }

    private interface Reveal {
        String get();
    }
}
