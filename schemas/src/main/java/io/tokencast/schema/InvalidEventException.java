package io.tokencast.schema;

/**
 * An event whose fields break the contract (a required field missing, a value out of range). The message
 * names the event and the field, never the value: values may be secrets.
 */
public class InvalidEventException extends IllegalArgumentException {

    private final String field;

    public InvalidEventException(String event, String field, String problem) {
        super(event + "." + field + " " + problem);
        this.field = field;
    }

    /** The offending field's JSON name. */
    public String field() {
        return field;
    }
}
