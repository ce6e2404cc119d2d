package io.tokencast.refresher.service.encryption;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the refresher encrypts what it writes (docs/security.md §5).
 *
 * @param enabled {@code false} for plaintext (development only: logged loudly at start); by default on
 *     exactly when a keyring is configured
 * @param keyring path of the keyring file: a JWK set of 256-bit {@code oct} keys with a {@code scopes}
 *     member mapping token-key patterns to kids
 * @param keyringJson the keyring itself, e.g. from a secret store through an environment variable; wins over
 *     {@code keyring}
 * @param promoteUnconfirmedKeys write under a new kid (or turn encryption on) even while live consumers that
 *     cannot read it are in the fleet view; off by default, logged as a warning when on (docs/security.md §5.3)
 */
@ConfigurationProperties("tokencast.encryption")
public record EncryptionProperties(
        Boolean enabled, String keyring, String keyringJson, @DefaultValue("false") boolean promoteUnconfirmedKeys) {

    @Override
    public String toString() {
        return "EncryptionProperties[enabled=" + enabled + ", keyring=" + keyring + ", keyringJson="
                + (keyringJson == null ? null : "<redacted>") + ", promoteUnconfirmedKeys=" + promoteUnconfirmedKeys
                + "]";
    }
}
