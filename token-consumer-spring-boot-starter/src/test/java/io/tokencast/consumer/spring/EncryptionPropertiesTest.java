package io.tokencast.consumer.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokencast.trust.encryption.EncryptionKeyring;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

class EncryptionPropertiesTest {

    @Test
    void aKeyringFileOrInlineJsonGivesTheViewItsKeysAndScopes(@TempDir Path dir) throws Exception {
        EncryptionKeyring keyring = EncryptionKeyring.generate("svc-k1", List.of("wechat-access-token/wx1*"));
        TokenConsumerProperties.Encryption fromFile = new TokenConsumerProperties.Encryption();
        fromFile.setKeyring(
                Files.writeString(dir.resolve("keyring.json"), keyring.toJson()).toString());
        TokenConsumerProperties.Encryption inline = new TokenConsumerProperties.Encryption();
        inline.setKeyringJson(keyring.toJson());

        assertThat(TokenConsumerAutoConfiguration.encryptionKeyring(fromFile))
                .hasValueSatisfying(k -> assertThat(k.kids()).containsExactly("svc-k1"));
        assertThat(TokenConsumerAutoConfiguration.encryptionKeyring(inline))
                .hasValueSatisfying(
                        k -> assertThat(k.covers("wechat-access-token/wx123")).isTrue());
        assertThat(TokenConsumerAutoConfiguration.encryptionKeyring(new TokenConsumerProperties.Encryption()))
                .isEmpty();
    }

    @Test
    void aBrokenKeyringNamesThePropertyButNotTheKey() {
        TokenConsumerProperties.Encryption broken = new TokenConsumerProperties.Encryption();
        broken.setKeyringJson("{\"keys\":[{\"kty\":\"oct\",\"kid\":\"k\",\"k\":\"c2hvcnQtc2VjcmV0\"}]}");

        assertThatThrownBy(() -> TokenConsumerAutoConfiguration.encryptionKeyring(broken))
                .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessageContaining("tokencast.consumer.encryption.keyring-json")
                .hasMessageNotContaining("c2hvcnQtc2VjcmV0");
    }
}
