package io.tokencast.schema;

import java.time.Instant;
import java.util.UUID;

/**
 * A durable copy of a credential WeChat gives only once (a component verify ticket, an authorizer refresh
 * token), on the compacted {@code tokencast.credentials} topic. Exactly one of {@code value} and
 * {@code encryptedValue} is set; {@link #toString()} prints neither.
 *
 * @param credentialKey the record key, {@code component-ticket/<appid>} or
 *     {@code authorizer-refresh-token/<component>.<authorizer>}
 * @param expiresAt when the credential stops working, if it does (tickets: 12 hours)
 * @param version strictly increasing per credential key, like a token's; optional in schemaVersion 1 and
 *     required where the value is encrypted, because the ciphertext is bound to it
 */
public record CredentialStored(
        UUID eventId,
        String credentialKey,
        CredentialKind kind,
        String value,
        String encryptedValue,
        String fingerprint,
        Instant receivedAt,
        Instant expiresAt,
        CredentialSource source,
        String storedBy,
        Long version)
        implements TokencastEvent {

    private static final String EVENT = "CredentialStored";

    public CredentialStored {
        Require.present(eventId, EVENT, "eventId");
        Require.present(kind, EVENT, "kind");
        Require.text(credentialKey, EVENT, "credentialKey");
        Ranges.length(credentialKey, Ranges.MAX_KEY_CHARS, EVENT, "credentialKey");
        String prefix = kind.keyPrefix() + "/";
        if (!credentialKey.startsWith(prefix) || credentialKey.length() == prefix.length()) {
            throw new InvalidEventException(EVENT, "credentialKey", "must be " + prefix + "<account> for " + kind);
        }
        if ((value == null) == (encryptedValue == null)) {
            throw new InvalidEventException(EVENT, "value", "or encryptedValue is required, and only one of them");
        }
        Require.text(value == null ? encryptedValue : value, EVENT, value == null ? "encryptedValue" : "value");
        Ranges.length(value, Ranges.MAX_TOKEN_CHARS, EVENT, "value");
        Ranges.length(encryptedValue, Ranges.MAX_ENCRYPTED_TOKEN_CHARS, EVENT, "encryptedValue");
        Require.present(fingerprint, EVENT, "fingerprint");
        Require.fingerprint(fingerprint, EVENT, "fingerprint");
        if (value != null && !Fingerprint.matches(value, fingerprint)) {
            throw new InvalidEventException(EVENT, "fingerprint", "does not match the value");
        }
        Require.present(receivedAt, EVENT, "receivedAt");
        Ranges.instant(receivedAt, EVENT, "receivedAt");
        Ranges.instant(expiresAt, EVENT, "expiresAt");
        Require.present(source, EVENT, "source");
        Require.text(storedBy, EVENT, "storedBy");
        Ranges.name(storedBy, EVENT, "storedBy");
        if (version != null) {
            Ranges.version(version, EVENT, "version");
        }
        if (encryptedValue != null && version == null) {
            throw new InvalidEventException(
                    EVENT, "version", "is required with encryptedValue: the ciphertext is bound to it");
        }
    }

    /** Largest version: 2^53-1, exact in every JSON reader ({@link Ranges#MAX_VERSION}). */
    public static final long MAX_VERSION = Ranges.MAX_VERSION;

    /** A plain-value credential with a fresh event id and the value's fingerprint. */
    public static CredentialStored of(
            CredentialKind kind,
            String account,
            String value,
            Instant receivedAt,
            Instant expiresAt,
            CredentialSource source,
            String storedBy) {
        return new CredentialStored(
                UUID.randomUUID(),
                kind.keyFor(account),
                kind,
                value,
                null,
                value == null ? null : Fingerprint.of(value),
                receivedAt,
                expiresAt,
                source,
                storedBy,
                null);
    }

    /** The same credential as version {@code newVersion}. */
    public CredentialStored withVersion(long newVersion) {
        return new CredentialStored(
                eventId,
                credentialKey,
                kind,
                value,
                encryptedValue,
                fingerprint,
                receivedAt,
                expiresAt,
                source,
                storedBy,
                newVersion);
    }

    /** The account part of the key: the component appid, or {@code component.authorizer}. */
    public String account() {
        return credentialKey.substring(kind.keyPrefix().length() + 1);
    }

    @Override
    public String toString() {
        return "CredentialStored[credentialKey=" + credentialKey + ", kind=" + kind + ", fingerprint=" + fingerprint
                + ", receivedAt=" + receivedAt + ", expiresAt=" + expiresAt + ", source=" + source + ", storedBy="
                + storedBy + ", version=" + version + ", eventId=" + eventId + ", value=<redacted>]";
    }
}
