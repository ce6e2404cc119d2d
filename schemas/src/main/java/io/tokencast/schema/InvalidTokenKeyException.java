package io.tokencast.schema;

/** A token key (or its kind) that does not follow the {@code <kind>/<account>} contract. */
public class InvalidTokenKeyException extends IllegalArgumentException {
    public InvalidTokenKeyException(String message) {
        super(message);
    }
}
