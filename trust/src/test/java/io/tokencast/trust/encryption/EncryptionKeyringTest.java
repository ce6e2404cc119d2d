package io.tokencast.trust.encryption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class EncryptionKeyringTest {

    private static final String K1 =
            "{\"kty\":\"oct\",\"kid\":\"k1\",\"k\":\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8\"}";
    private static final String K2 =
            "{\"kty\":\"oct\",\"kid\":\"k2\",\"k\":\"HxAREhMUFRYXGBkaGxwdHh8AAQIDBAUGBwgJCgsMDQ4\"}";

    @Test
    void theLongestMatchingPatternWinsAndAnExactKeyBeatsItsPrefix() {
        EncryptionKeyring keyring = EncryptionKeyring.parse("{\"keys\":[" + K1 + "," + K2 + "],\"scopes\":{"
                + "\"*\":\"k1\",\"wechat-access-token/wx123*\":\"k2\",\"wechat-access-token/*\":\"k1\","
                + "\"wechat-access-token/wx1234\":\"k1\"}}");

        assertThat(keyring.writeKid("wechat-access-token/wx123abc")).contains("k2");
        assertThat(keyring.writeKid("wechat-access-token/wx1234")).contains("k1");
        assertThat(keyring.writeKid("wechat-access-token/wx12345")).contains("k2");
        assertThat(keyring.writeKid("wechat-access-token/wx999")).contains("k1");
        assertThat(keyring.writeKid("wecom-access-token/ww42.1000002")).contains("k1");
    }

    @Test
    void aKeyNoPatternMatchesHasNoWriteKid() {
        EncryptionKeyring keyring =
                EncryptionKeyring.parse("{\"keys\":[" + K1 + "],\"scopes\":{\"wecom-access-token/ww42.*\":\"k1\"}}");

        assertThat(keyring.writeKid("wecom-access-token/ww42.1000002")).contains("k1");
        assertThat(keyring.writeKid("wecom-access-token/ww43.1000002")).isEmpty();
        assertThat(keyring.covers("wechat-access-token/wx1")).isFalse();
    }

    @Test
    void aPlainJwkSetWithoutScopesIsAReadOnlyKeyring() {
        EncryptionKeyring keyring =
                EncryptionKeyring.parse(io.tokencast.trust.JoseVectors.file("encryption.jwks.json"));

        assertThat(keyring.kids()).containsExactly("tenant-a-2026-12");
        assertThat(keyring.scopes()).isEmpty();
    }

    @Test
    void rejectsKeysOfTheWrongTypeOrSize() {
        assertRejected("{\"keys\":[{\"kty\":\"oct\",\"kid\":\"short\",\"k\":\"AAECAwQFBgcICQoLDA0ODw\"}]}", "256");
        assertRejected(
                "{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"ed\","
                        + "\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}]}",
                "oct");
        assertRejected("{\"keys\":[{\"kty\":\"oct\",\"k\":\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8\"}]}", "kid");
        assertRejected("{\"keys\":[" + K1 + "," + K1 + "]}", "twice");
        assertRejected("{\"keys\":[" + K1 + "],\"scopes\":{\"*\":\"k9\"}}", "k9");
        assertRejected("{\"keys\":[" + K1 + "],\"scopes\":{\"wechat*token\":\"k1\"}}", "trailing");
        assertRejected("{\"keys\":{}}", "keys");
        assertRejected("not json", "JSON");
    }

    @Test
    void neitherToStringNorErrorsShowKeyMaterial() {
        EncryptionKeyring keyring = EncryptionKeyring.parse("{\"keys\":[" + K1 + "],\"scopes\":{\"*\":\"k1\"}}");

        assertThat(keyring.toString()).contains("k1").doesNotContain("AAECAwQF");
        assertThatThrownBy(() -> EncryptionKeyring.parse("{\"keys\":[" + K1 + "], oops}"))
                .message()
                .doesNotContain("AAECAwQF");
    }

    @Test
    void theFileFormRoundTrips() {
        EncryptionKeyring generated = EncryptionKeyring.generate("fresh", List.of("wechat-access-token/*"));

        EncryptionKeyring parsed = EncryptionKeyring.parse(generated.toJson());

        assertThat(parsed.kids()).containsExactly("fresh");
        assertThat(parsed.writeKid("wechat-access-token/wx1")).contains("fresh");
        assertThat(parsed.material("fresh")).isEqualTo(generated.material("fresh"));
    }

    @Test
    void withAddsKeysAndLetsTheNewerScopeWin() {
        EncryptionKeyring old = EncryptionKeyring.generate("old", List.of("*"));
        EncryptionKeyring next = EncryptionKeyring.generate("new", List.of("*"));

        EncryptionKeyring promoted = old.with(next);

        assertThat(promoted.kids()).containsExactly("old", "new");
        assertThat(promoted.writeKid("wechat-access-token/wx1")).contains("new");
    }

    private static void assertRejected(String json, String mentions) {
        assertThatThrownBy(() -> EncryptionKeyring.parse(json))
                .isInstanceOf(InvalidKeyringException.class)
                .hasMessageContaining(mentions);
    }
}
