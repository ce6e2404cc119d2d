package io.tokencast.demo;

import java.net.URI;
import java.nio.file.Path;

/**
 * Where the demo's Kafka, Redis and WeChat sandbox answer, and the encryption keyring its refreshers share.
 *
 * @param encryptionKeyring the keyring's JSON (secret: it holds the key)
 * @param signingKeyFile the refreshers' private signing key (a JWK set file readable by its owner only)
 * @param signingPublicKeys the public half, what readers verify records with
 */
record Infrastructure(
        String kafka,
        String redis,
        URI sandbox,
        String encryptionKeyring,
        Path signingKeyFile,
        Path signingPublicKeys) {

    @Override
    public String toString() {
        return "Infrastructure[kafka=" + kafka + ", redis=" + redis + ", sandbox=" + sandbox + ", keyring=<redacted>]";
    }
}
