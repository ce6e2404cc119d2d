package io.tokencast.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class FingerprintTest {

    @ParameterizedTest
    @CsvSource({
        // SHA-256("hello") = 2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824
        "hello, sha256:2cf24dba5fb0a30e",
        // SHA-256("") = e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
        "'', sha256:e3b0c44298fc1c14",
        // UTF-8, not the platform charset
        "令牌, sha256:735da237b6da1854"
    })
    void isTheFirstSixteenHexDigitsOfTheSha256OfTheUtf8Bytes(String secret, String fingerprint) {
        assertThat(Fingerprint.of(secret)).isEqualTo(fingerprint);
    }

    @Test
    void hasTheShapeItChecksFor() {
        String fingerprint = Fingerprint.of(SampleEvents.TOKEN);

        assertThat(fingerprint).hasSize("sha256:".length() + 16).matches("sha256:[0-9a-f]{16}");
        assertThat(Fingerprint.isFingerprint(fingerprint)).isTrue();
    }

    @Test
    void aStringJustFingerprintedIsNotHashedAgain() {
        String token = new String(SampleEvents.TOKEN);
        String first = Fingerprint.of(token);

        // Hashing again would make a new string; the same one comes back, and the event's own check uses it.
        assertThat(Fingerprint.of(token)).isSameAs(first);
        assertThat(Fingerprint.matches(token, first)).isTrue();
        // An equal string of its own is hashed afresh: the memory is by identity, never by value.
        String equal = new String(SampleEvents.TOKEN);
        assertThat(Fingerprint.of(equal)).isEqualTo(first).isNotSameAs(first);
    }

    @Test
    void aRememberedStringStillFailsAFingerprintNotItsOwn() {
        String token = new String(SampleEvents.TOKEN);
        String another = Fingerprint.of(token + "x");
        Fingerprint.of(token);

        assertThat(Fingerprint.matches(token, another)).isFalse();
        assertThat(Fingerprint.matches(token, null)).isFalse();
    }

    @Test
    void differentSecretsHaveDifferentFingerprints() {
        assertThat(Fingerprint.of(SampleEvents.TOKEN)).isNotEqualTo(Fingerprint.of(SampleEvents.TOKEN + "x"));
    }

    @Test
    void refusesToFingerprintAMissingValue() {
        assertThatThrownBy(() -> Fingerprint.of(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(
            strings = {
                "2cf24dba5fb0a30e",
                "sha256:2CF24DBA5FB0A30E",
                "sha256:2cf24dba5fb0a30",
                "sha256:2cf24dba5fb0a30e2",
                "sha1:2cf24dba5fb0a30e",
                "sha256:2cf24dba5fb0a30g",
                " sha256:2cf24dba5fb0a30e"
            })
    void recognisesOnlyTheExactShape(String text) {
        assertThat(Fingerprint.isFingerprint(text)).isFalse();
    }
}
