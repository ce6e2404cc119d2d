package io.tokencast.schema;

/**
 * A field whose value lies outside the {@link Ranges} of the contract: a version past 2^53-1, an instant
 * outside the window, a token life over 31 days, a text over its size cap. Never names a secret value.
 */
public class OutOfRangeException extends InvalidEventException {

    public OutOfRangeException(String event, String field, String problem) {
        super(event, field, problem);
    }
}
