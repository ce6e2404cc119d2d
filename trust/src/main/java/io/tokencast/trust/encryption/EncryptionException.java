package io.tokencast.trust.encryption;

/**
 * A credential that could not be encrypted or decrypted, with the {@link Problem} that says why. Messages
 * name the record key, version and kid, never the credential or the key material.
 */
public class EncryptionException extends RuntimeException {

    /** Why sealing or opening failed. */
    public enum Problem {
        /** The reader holds no key for the record's kid, or the record lies outside the reader's scopes. */
        NO_KEY,
        /** No scope pattern of the writer's keyring matches the record key: nothing to encrypt it with. */
        NO_SCOPE,
        /** The protected header names another key, version or instant than the record: moved or replayed. */
        IDENTITY_MISMATCH,
        /** Not a compact JWE, too large, or a header member missing or of the wrong type. */
        MALFORMED,
        /** An algorithm, encryption method, compression or critical header this format does not use. */
        UNSUPPORTED,
        /** The authentication tag does not verify: tampered, or encrypted under another key with this kid. */
        NOT_AUTHENTIC
    }

    private final Problem problem;

    public EncryptionException(Problem problem, String message) {
        super(message);
        this.problem = problem;
    }

    public EncryptionException(Problem problem, String message, Throwable cause) {
        super(message, cause);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
