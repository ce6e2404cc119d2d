package io.tokencast.refresher.service.encryption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokencast.refresher.config.CredentialCatalog;
import io.tokencast.refresher.service.ConfigurationCheck;
import io.tokencast.refresher.service.config.InvalidConfigurationException;
import io.tokencast.refresher.service.config.TokencastProperties;
import io.tokencast.trust.encryption.EncryptionKeyring;
import io.tokencast.trust.encryption.RecordEncryption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class EncryptionConfigurationTest {

    private final CredentialCatalog catalog =
            ConfigurationCheck.catalog(new Binder(new MapConfigurationPropertySource(Map.of(
                            "tokencast.apps[0].kind", "wechat-access-token",
                            "tokencast.apps[0].account", "wx0000000000000001",
                            "tokencast.apps[0].secret", "s1",
                            "tokencast.apps[1].kind", "wecom-access-token",
                            "tokencast.apps[1].account", "ww42.1000002",
                            "tokencast.apps[1].secret", "s2")))
                    .bindOrCreate("tokencast", TokencastProperties.class));

    @Test
    void aConfiguredCredentialThatNoScopeMatchesStopsStartUp() {
        EncryptionKeyring keyring = EncryptionKeyring.generate("k1", List.of("wechat-access-token/*"));

        assertThatThrownBy(() -> new EncryptionConfiguration()
                        .recordEncryption(new EncryptionProperties(null, null, keyring.toJson(), false), catalog))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("no scope matches wecom-access-token/ww42.1000002")
                .hasMessageNotContaining("wechat-access-token/wx0000000000000001");
    }

    @Test
    void aKeyringFileWhoseScopesCoverEveryCredentialTurnsEncryptionOn(@TempDir Path dir) throws Exception {
        EncryptionKeyring keyring =
                EncryptionKeyring.generate("k1", List.of("wechat-access-token/*", "wecom-access-token/ww42.*"));
        Path file = Files.writeString(dir.resolve("keyring.json"), keyring.toJson());

        RecordEncryption encryption = new EncryptionConfiguration()
                .recordEncryption(new EncryptionProperties(null, file.toString(), null, false), catalog);

        assertThat(encryption.enabled()).isTrue();
        assertThat(encryption.writeKid("wecom-access-token/ww42.1000002")).contains("k1");
    }

    @Test
    void withoutAKeyringTokensTravelInPlaintextAndEnabledWithoutOneIsAnError() {
        assertThat(new EncryptionConfiguration()
                        .recordEncryption(new EncryptionProperties(null, null, null, false), catalog)
                        .enabled())
                .isFalse();
        assertThatThrownBy(() -> EncryptionConfiguration.load(new EncryptionProperties(true, null, null, false)))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("tokencast.encryption.keyring");
    }

    @Test
    void aBrokenKeyringIsAConfigurationErrorThatShowsNoKeyMaterial() {
        String broken = "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"k1\",\"k\":\"c2hvcnQtc2VjcmV0\"}]}";

        assertThatThrownBy(() -> EncryptionConfiguration.load(new EncryptionProperties(null, null, broken, false)))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("256")
                .hasMessageNotContaining("c2hvcnQtc2VjcmV0");
    }
}
