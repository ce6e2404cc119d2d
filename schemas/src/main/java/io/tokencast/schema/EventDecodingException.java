package io.tokencast.schema;

/**
 * Bytes that are not a valid tokencast event. {@link #problem()} says which rule was broken, so a
 * reader can count and audit it; the message names the event type and field but never a value.
 */
public class EventDecodingException extends RuntimeException {

    /** The rule a payload broke. */
    public enum Problem {
        PAYLOAD_TOO_LARGE,
        MALFORMED_JSON,
        WRONG_TYPE,
        UNSUPPORTED_SCHEMA_VERSION,
        MISSING_FIELD,
        INVALID_FIELD,
        /** A value outside the contract's {@link Ranges}: version, instant window, token life or size cap. */
        OUT_OF_RANGE
    }

    private final Problem problem;

    public EventDecodingException(Problem problem, String message) {
        super(message);
        this.problem = problem;
    }

    public EventDecodingException(Problem problem, String message, Throwable cause) {
        super(message, cause);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
