package io.tokencast.trust.encryption;

import static io.tokencast.trust.encryption.EncryptionException.Problem.IDENTITY_MISMATCH;
import static io.tokencast.trust.encryption.EncryptionException.Problem.MALFORMED;
import static io.tokencast.trust.encryption.EncryptionException.Problem.NOT_AUTHENTIC;
import static io.tokencast.trust.encryption.EncryptionException.Problem.NO_KEY;
import static io.tokencast.trust.encryption.EncryptionException.Problem.NO_SCOPE;
import static io.tokencast.trust.encryption.EncryptionException.Problem.UNSUPPORTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.CompressionAlgorithm;
import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.DirectEncrypter;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.crypto.spec.SecretKeySpec;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class RecordCipherTest {

    private static final Instant EXPIRES = Instant.parse("2026-12-07T10:00:00Z");
    private static final String TOKEN = "82_TEST-ONLY-token-for-the-cipher";
    private static final RecordIdentity V42 =
            RecordIdentity.token("wechat-access-token/wx0123456789abcdef", 42, EXPIRES);

    private final EncryptionKeyring keyring = EncryptionKeyring.generate("k1", List.of("*"));
    private final RecordCipher cipher = new RecordCipher(keyring);

    @Test
    void sealedTokensOpenToTheSamePlaintext() {
        String jwe = cipher.seal(TOKEN, V42);

        assertThat(cipher.open(jwe, V42)).isEqualTo(TOKEN);
        assertThat(jwe).doesNotContain(TOKEN);
        assertThat(RecordCipher.kidOf(jwe)).isEqualTo("k1");
    }

    @Test
    void theProtectedHeaderCarriesExactlyTheContractMembers() throws Exception {
        String jwe = cipher.seal(TOKEN, V42);

        Map<String, Object> header = JSONObjectUtils.parse(
                new String(Base64URL.from(jwe.substring(0, jwe.indexOf('.'))).decode(), StandardCharsets.UTF_8));
        assertThat(header)
                .containsOnlyKeys("alg", "enc", "kid", "tokenKey", "version", "expiresAt")
                .containsEntry("alg", "dir")
                .containsEntry("enc", "A256GCM")
                .containsEntry("tokenKey", V42.key())
                .containsEntry("version", 42L)
                .containsEntry("expiresAt", "2026-12-07T10:00:00Z");
        assertThat(jwe.split("\\.", -1)).hasSize(5).satisfies(parts -> assertThat(parts[1])
                .isEmpty());
    }

    @Test
    void aCiphertextMovedToAnotherVersionKeyOrExpiryIsRefused() {
        String jwe = cipher.seal(TOKEN, V42);

        assertProblem(() -> cipher.open(jwe, RecordIdentity.token(V42.key(), 43, EXPIRES)), IDENTITY_MISMATCH);
        assertProblem(
                () -> cipher.open(jwe, RecordIdentity.token("wechat-access-token/wxffffffffffffffff", 42, EXPIRES)),
                IDENTITY_MISMATCH);
        assertProblem(
                () -> cipher.open(jwe, RecordIdentity.token(V42.key(), 42, EXPIRES.plusSeconds(3600))),
                IDENTITY_MISMATCH);
        assertProblem(() -> cipher.open(jwe, RecordIdentity.credential(V42.key(), 42, EXPIRES)), IDENTITY_MISMATCH);
    }

    @Test
    void aTamperedCiphertextOrHeaderDoesNotAuthenticate() {
        String jwe = cipher.seal(TOKEN, V42);
        String[] parts = jwe.split("\\.", -1);
        char[] body = parts[3].toCharArray();
        body[0] = body[0] == 'A' ? 'B' : 'A';
        String tampered = parts[0] + "." + parts[1] + "." + parts[2] + "." + new String(body) + "." + parts[4];

        assertProblem(() -> cipher.open(tampered, V42), NOT_AUTHENTIC);
    }

    @Test
    void aKeyWithTheSameKidButOtherMaterialDoesNotAuthenticate() {
        String jwe = new RecordCipher(EncryptionKeyring.generate("k1", List.of("*"))).seal(TOKEN, V42);

        assertProblem(() -> cipher.open(jwe, V42), NOT_AUTHENTIC);
    }

    @Test
    void anUnknownKidOrAKeyOutsideTheScopesIsNoKey() {
        String jwe = new RecordCipher(EncryptionKeyring.generate("k2", List.of("*"))).seal(TOKEN, V42);
        RecordCipher wecomOnly = new RecordCipher(EncryptionKeyring.generate("k1", List.of("wecom-access-token/*")));

        assertThatThrownBy(() -> cipher.open(jwe, V42))
                .isInstanceOf(EncryptionException.class)
                .hasMessageContaining("no key for this scope")
                .hasMessageContaining("k2");
        assertProblem(() -> wecomOnly.open(cipher.seal(TOKEN, V42), V42), NO_KEY);
    }

    @Test
    void sealingAKeyNoScopeMatchesFails() {
        RecordCipher wecomOnly = new RecordCipher(EncryptionKeyring.generate("k1", List.of("wecom-access-token/*")));

        assertProblem(() -> wecomOnly.seal(TOKEN, V42), NO_SCOPE);
    }

    @Test
    void otherAlgorithmsAndCompressionAreUnsupported() throws Exception {
        JWEObject a128 = new JWEObject(
                new JWEHeader.Builder(JWEAlgorithm.DIR, EncryptionMethod.A128GCM)
                        .keyID("k1")
                        .build(),
                new Payload(TOKEN));
        a128.encrypt(new DirectEncrypter(new SecretKeySpec(new byte[16], "AES")));
        JWEObject zipped = new JWEObject(
                new JWEHeader.Builder(JWEAlgorithm.DIR, EncryptionMethod.A256GCM)
                        .keyID("k1")
                        .compressionAlgorithm(CompressionAlgorithm.DEF)
                        .customParam("tokenKey", V42.key())
                        .customParam("version", 42L)
                        .customParam("expiresAt", EXPIRES.toString())
                        .build(),
                new Payload(TOKEN));
        zipped.encrypt(new DirectEncrypter(keyring.secretKey("k1")));

        assertProblem(() -> cipher.open(a128.serialize(), V42), UNSUPPORTED);
        assertProblem(() -> cipher.open(zipped.serialize(), V42), UNSUPPORTED);
    }

    @Test
    void garbageAndOversizedEnvelopesAreMalformed() {
        assertProblem(() -> cipher.open("v1:AES-GCM:abc", V42), MALFORMED);
        assertProblem(() -> cipher.open("", V42), MALFORMED);
        assertProblem(() -> cipher.open("a".repeat(RecordCipher.MAX_JWE_CHARS + 1), V42), MALFORMED);
        assertProblem(() -> RecordCipher.kidOf("not.a.jwe"), MALFORMED);
    }

    @Test
    void errorsNeverCarryTheCredential() {
        String jwe = cipher.seal(TOKEN, V42);

        assertThatThrownBy(() -> cipher.open(jwe, RecordIdentity.token(V42.key(), 43, EXPIRES)))
                .message()
                .doesNotContain(TOKEN);
    }

    private static void assertProblem(ThrowingCallable call, EncryptionException.Problem problem) {
        assertThatThrownBy(call)
                .isInstanceOf(EncryptionException.class)
                .satisfies(e -> assertThat(((EncryptionException) e).problem()).isEqualTo(problem));
    }
}
