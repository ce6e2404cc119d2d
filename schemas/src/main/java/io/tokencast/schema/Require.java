package io.tokencast.schema;

/** Field checks for the events' compact constructors; failures name the event and the field. */
final class Require {

    private Require() {}

    static <T> T present(T value, String event, String field) {
        if (value == null) {
            throw new InvalidEventException(event, field, "is required");
        }
        return value;
    }

    static String text(String value, String event, String field) {
        if (value == null || value.isBlank()) {
            throw new InvalidEventException(event, field, "is required and must not be blank");
        }
        return value;
    }

    static String fingerprint(String value, String event, String field) {
        if (value != null && !Fingerprint.isFingerprint(value)) {
            throw new InvalidEventException(event, field, "must look like sha256:<16 hex digits>");
        }
        return value;
    }

    static String maxLength(String value, int max, String event, String field) {
        if (value != null && value.length() > max) {
            throw new InvalidEventException(event, field, "is longer than " + max + " characters");
        }
        return value;
    }
}
