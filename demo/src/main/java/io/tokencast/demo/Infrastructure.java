package io.tokencast.demo;

import java.net.URI;

/**
 * Where the demo's Kafka, Redis and WeChat sandbox answer, and the encryption keyring its refreshers share.
 *
 * @param encryptionKeyring the keyring's JSON (secret: it holds the key)
 */
record Infrastructure(String kafka, String redis, URI sandbox, String encryptionKeyring) {

    @Override
    public String toString() {
        return "Infrastructure[kafka=" + kafka + ", redis=" + redis + ", sandbox=" + sandbox + ", keyring=<redacted>]";
    }
}
