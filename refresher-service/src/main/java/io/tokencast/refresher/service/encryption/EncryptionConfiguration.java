package io.tokencast.refresher.service.encryption;

import io.tokencast.refresher.config.CredentialCatalog;
import io.tokencast.refresher.service.config.InvalidConfigurationException;
import io.tokencast.refresher.wechat.ManagedCredential;
import io.tokencast.schema.CredentialKind;
import io.tokencast.schema.TokenKind;
import io.tokencast.trust.encryption.EncryptionKeyring;
import io.tokencast.trust.encryption.InvalidKeyringException;
import io.tokencast.trust.encryption.RecordEncryption;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Loads the refresher's encryption keyring and checks, before anything is fetched, that every configured
 * credential has a scope to be encrypted under: a credential no pattern matches is a start-up error
 * (docs/design.md §5.5), not a surprise at its first refresh.
 */
@Configuration(proxyBeanMethods = false)
public class EncryptionConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EncryptionConfiguration.class);

    @Bean
    RecordEncryption recordEncryption(EncryptionProperties properties, CredentialCatalog catalog) {
        RecordEncryption encryption = load(properties);
        if (!encryption.enabled()) {
            log.warn("\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n"
                    + "!!! ENCRYPTION IS OFF: tokens and credentials go to Kafka and Redis IN PLAINTEXT.  !!!\n"
                    + "!!! Anyone who can read those topics or Redis can use every WeChat token.          !!!\n"
                    + "!!! For development only. Set tokencast.encryption.keyring (docs/security.md).     !!!\n"
                    + "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
            return encryption;
        }
        List<String> problems = new ArrayList<>();
        for (String key : recordKeys(catalog)) {
            if (encryption.writeKid(key).isEmpty()) {
                problems.add("tokencast.encryption.keyring: no scope matches " + key
                        + "; add a pattern for it (an exact key, a prefix ending in *, or *)");
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        log.info(
                "encryption on kids={} scopes={} credentials={}",
                encryption.keyring().kids(),
                encryption.keyring().scopes().size(),
                catalog.all().size());
        return encryption;
    }

    static RecordEncryption load(EncryptionProperties properties) {
        boolean configured =
                properties.keyringJson() != null && !properties.keyringJson().isBlank()
                        || properties.keyring() != null && !properties.keyring().isBlank();
        if (Boolean.FALSE.equals(properties.enabled()) || properties.enabled() == null && !configured) {
            return RecordEncryption.off();
        }
        if (!configured) {
            throw new InvalidConfigurationException(List.of("tokencast.encryption.enabled: is true but neither"
                    + " tokencast.encryption.keyring nor tokencast.encryption.keyring-json is set; generate one with"
                    + " `tokencast keys generate --encryption` (docs/security.md)"));
        }
        String json;
        String where;
        if (properties.keyringJson() != null && !properties.keyringJson().isBlank()) {
            json = properties.keyringJson();
            where = "tokencast.encryption.keyring-json";
        } else {
            where = "tokencast.encryption.keyring";
            try {
                json = Files.readString(Path.of(properties.keyring()), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new InvalidConfigurationException(List.of(where + ": cannot read " + properties.keyring() + " ("
                        + e.getClass().getSimpleName() + ")"));
            }
        }
        EncryptionKeyring keyring;
        try {
            keyring = EncryptionKeyring.parse(json);
        } catch (InvalidKeyringException e) {
            throw new InvalidConfigurationException(List.of(where + ": " + e.getMessage()));
        }
        if (keyring.isEmpty() || keyring.scopes().isEmpty()) {
            throw new InvalidConfigurationException(
                    List.of(where + ": the refresher's keyring needs at least one key and one scope (pattern -> kid)"));
        }
        return RecordEncryption.with(keyring);
    }

    /** Every token key and credential key the configuration names. */
    static List<String> recordKeys(CredentialCatalog catalog) {
        List<String> keys = new ArrayList<>();
        for (ManagedCredential credential : catalog.all()) {
            keys.add(credential.key().asString());
            if (credential.key().kind() == TokenKind.WECHAT_COMPONENT_ACCESS_TOKEN) {
                keys.add(CredentialKind.COMPONENT_VERIFY_TICKET.keyFor(
                        credential.key().account()));
            }
            if (credential.key().kind() == TokenKind.WECHAT_AUTHORIZER_ACCESS_TOKEN) {
                keys.add(CredentialKind.AUTHORIZER_REFRESH_TOKEN.keyFor(
                        credential.key().account()));
            }
        }
        return keys;
    }
}
