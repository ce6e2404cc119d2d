package io.tokencast.trust.encryption;

import io.tokencast.schema.CredentialStored;
import io.tokencast.schema.TokenRefreshed;
import java.util.Objects;
import java.util.Optional;

/**
 * Encryption of tokencast records: turns a plaintext {@link TokenRefreshed} or {@link CredentialStored} into
 * its encrypted form ({@code encryptedToken} / {@code encryptedValue}, fingerprint kept: it is over the
 * plaintext) and reveals the credential of either form. {@link #off()} is plaintext mode, for development.
 */
public final class RecordEncryption {

    private static final RecordEncryption OFF = new RecordEncryption(null);

    private final RecordCipher cipher;

    private RecordEncryption(RecordCipher cipher) {
        this.cipher = cipher;
    }

    /** Plaintext mode: records are written as they are, encrypted ones cannot be read (no keys). */
    public static RecordEncryption off() {
        return OFF;
    }

    /** Encrypts with, and decrypts by, {@code keyring}. */
    public static RecordEncryption with(EncryptionKeyring keyring) {
        return new RecordEncryption(new RecordCipher(keyring));
    }

    public boolean enabled() {
        return cipher != null;
    }

    /** The keyring, empty in plaintext mode. */
    public EncryptionKeyring keyring() {
        return cipher == null ? EncryptionKeyring.empty() : cipher.keyring();
    }

    /** {@code event} encrypted under its scope's kid; unchanged when off or already encrypted. */
    public TokenRefreshed seal(TokenRefreshed event) {
        if (cipher == null || event.token() == null) {
            return event;
        }
        String jwe = cipher.seal(event.token(), identity(event));
        return encrypted(event, jwe);
    }

    /** {@code event} encrypted under {@code kid}, which the keyring holds; re-sealed if already encrypted. */
    public TokenRefreshed seal(TokenRefreshed event, String kid) {
        requireEnabled();
        return encrypted(event, cipher.seal(reveal(event), identity(event), kid));
    }

    /**
     * The token of {@code event}, decrypting it if needed.
     *
     * @throws EncryptionException when it is encrypted and cannot be opened here
     */
    public String reveal(TokenRefreshed event) {
        if (event.token() != null) {
            return event.token();
        }
        if (cipher == null) {
            // Without keys the envelope is still read far enough to tell a missing key from garbage.
            String kid = RecordCipher.kidOf(event.encryptedToken());
            throw new EncryptionException(
                    EncryptionException.Problem.NO_KEY,
                    "no key for this scope: " + event.tokenKey() + " v" + event.version() + " is encrypted under kid "
                            + kid + " and this process has no encryption keyring");
        }
        return cipher.open(event.encryptedToken(), identity(event));
    }

    /**
     * {@code event} with its token in plaintext, for the refresher's own use of a token (ticket derivation,
     * open-platform calls); never to be stored or published.
     */
    public TokenRefreshed revealed(TokenRefreshed event) {
        if (event.token() != null) {
            return event;
        }
        return new TokenRefreshed(
                event.eventId(),
                event.tokenKey(),
                event.kind(),
                event.account(),
                event.version(),
                reveal(event),
                null,
                event.fingerprint(),
                event.issuedAt(),
                event.expiresAt(),
                event.nextRefreshAt(),
                event.reason(),
                event.refresher(),
                event.causationId());
    }

    /** {@code credential} encrypted under its scope's kid; unchanged when off or already encrypted. */
    public CredentialStored seal(CredentialStored credential) {
        if (cipher == null || credential.value() == null) {
            return credential;
        }
        String jwe = cipher.seal(credential.value(), identity(credential));
        return encrypted(credential, jwe);
    }

    /** {@code credential} encrypted under {@code kid}; re-sealed if already encrypted. */
    public CredentialStored seal(CredentialStored credential, String kid) {
        requireEnabled();
        return encrypted(credential, cipher.seal(reveal(credential), identity(credential), kid));
    }

    /** The value of {@code credential}, decrypting it if needed. */
    public String reveal(CredentialStored credential) {
        if (credential.value() != null) {
            return credential.value();
        }
        if (cipher == null) {
            String kid = RecordCipher.kidOf(credential.encryptedValue());
            throw new EncryptionException(
                    EncryptionException.Problem.NO_KEY,
                    "no key for this scope: " + credential.credentialKey() + " is encrypted under kid " + kid
                            + " and this process has no encryption keyring");
        }
        return cipher.open(credential.encryptedValue(), identity(credential));
    }

    /** {@code credential} with its value in plaintext, for the refresher's own use; never stored or published. */
    public CredentialStored revealed(CredentialStored credential) {
        if (credential.value() != null) {
            return credential;
        }
        return new CredentialStored(
                credential.eventId(),
                credential.credentialKey(),
                credential.kind(),
                reveal(credential),
                null,
                credential.fingerprint(),
                credential.receivedAt(),
                credential.expiresAt(),
                credential.source(),
                credential.storedBy(),
                credential.version());
    }

    /** The kid that encrypts {@code recordKey} now, empty when off or outside every scope. */
    public Optional<String> writeKid(String recordKey) {
        return cipher == null ? Optional.empty() : cipher.keyring().writeKid(recordKey);
    }

    /** The kid {@code event} is encrypted under; empty for plaintext or an unreadable envelope. */
    public static Optional<String> kid(TokenRefreshed event) {
        return kidOf(event.encryptedToken());
    }

    /** The kid {@code credential} is encrypted under; empty for plaintext or an unreadable envelope. */
    public static Optional<String> kid(CredentialStored credential) {
        return kidOf(credential.encryptedValue());
    }

    private static Optional<String> kidOf(String jwe) {
        if (jwe == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(RecordCipher.kidOf(jwe));
        } catch (EncryptionException e) {
            return Optional.empty();
        }
    }

    private void requireEnabled() {
        if (cipher == null) {
            throw new IllegalStateException("encryption is off: there is no key to seal with");
        }
    }

    private static RecordIdentity identity(TokenRefreshed event) {
        return RecordIdentity.token(event.tokenKey().toString(), event.version(), event.expiresAt());
    }

    private static RecordIdentity identity(CredentialStored credential) {
        Long version = credential.version();
        if (version == null) {
            throw new EncryptionException(
                    EncryptionException.Problem.MALFORMED,
                    "credential " + credential.credentialKey() + " has no version; an encrypted credential is bound"
                            + " to one");
        }
        return RecordIdentity.credential(credential.credentialKey(), version, credential.receivedAt());
    }

    private static TokenRefreshed encrypted(TokenRefreshed event, String jwe) {
        Objects.requireNonNull(jwe);
        return new TokenRefreshed(
                event.eventId(),
                event.tokenKey(),
                event.kind(),
                event.account(),
                event.version(),
                null,
                jwe,
                event.fingerprint(),
                event.issuedAt(),
                event.expiresAt(),
                event.nextRefreshAt(),
                event.reason(),
                event.refresher(),
                event.causationId());
    }

    private static CredentialStored encrypted(CredentialStored credential, String jwe) {
        return new CredentialStored(
                credential.eventId(),
                credential.credentialKey(),
                credential.kind(),
                null,
                jwe,
                credential.fingerprint(),
                credential.receivedAt(),
                credential.expiresAt(),
                credential.source(),
                credential.storedBy(),
                credential.version());
    }

    @Override
    public String toString() {
        return cipher == null ? "RecordEncryption[off]" : "RecordEncryption[" + cipher.keyring() + "]";
    }
}
