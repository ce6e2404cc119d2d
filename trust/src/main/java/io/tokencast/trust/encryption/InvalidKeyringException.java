package io.tokencast.trust.encryption;

/** A keyring that cannot be used: a malformed JWK set, a key of the wrong type or size, a bad scope. */
public class InvalidKeyringException extends RuntimeException {

    public InvalidKeyringException(String message) {
        super(message);
    }

    public InvalidKeyringException(String message, Throwable cause) {
        super(message, cause);
    }
}
