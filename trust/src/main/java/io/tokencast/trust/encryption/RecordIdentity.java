package io.tokencast.trust.encryption;

import java.time.Instant;
import java.util.Objects;

/**
 * What a ciphertext is bound to: the record's key, version and one instant, carried in the JWE protected
 * header (which AES-GCM authenticates) so a ciphertext moved to another key or version is refused.
 *
 * @param keyMember {@code tokenKey} or {@code credentialKey}
 * @param instantMember {@code expiresAt} (tokens) or {@code receivedAt} (credentials)
 */
public record RecordIdentity(String keyMember, String key, long version, String instantMember, Instant instant) {

    /** Largest version the contract allows: 2^53-1, exact in every JSON reader. */
    public static final long MAX_VERSION = (1L << 53) - 1;

    public RecordIdentity {
        Objects.requireNonNull(keyMember, "keyMember");
        Objects.requireNonNull(instantMember, "instantMember");
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException(keyMember + " must not be blank");
        }
        if (version < 1 || version > MAX_VERSION) {
            throw new IllegalArgumentException(
                    "version of " + key + " must lie in [1, 2^53-1] to be encrypted, was " + version);
        }
        Objects.requireNonNull(instant, instantMember);
    }

    /** A {@code TokenRefreshed}'s identity: {@code tokenKey}, {@code version}, {@code expiresAt}. */
    public static RecordIdentity token(String tokenKey, long version, Instant expiresAt) {
        return new RecordIdentity("tokenKey", tokenKey, version, "expiresAt", expiresAt);
    }

    /** A {@code CredentialStored}'s identity: {@code credentialKey}, {@code version}, {@code receivedAt}. */
    public static RecordIdentity credential(String credentialKey, long version, Instant receivedAt) {
        return new RecordIdentity("credentialKey", credentialKey, version, "receivedAt", receivedAt);
    }

    String describe() {
        return key + " v" + version;
    }
}
