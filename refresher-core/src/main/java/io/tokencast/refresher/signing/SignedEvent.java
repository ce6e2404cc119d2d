package io.tokencast.refresher.signing;

import io.tokencast.schema.TokencastEvent;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * An event with the JSON bytes written for it: encoded once and, when signing is on, signed once, so Redis and
 * Kafka carry the same bytes. The bytes are shared, not copied: nobody modifies them.
 */
public record SignedEvent<T extends TokencastEvent>(T event, byte[] json) {

    public SignedEvent {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(json, "json");
    }

    /** The bytes as UTF-8 text, for Redis. */
    public String jsonString() {
        return new String(json, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SignedEvent<?> that
                && event.equals(that.event)
                && java.util.Arrays.equals(json, that.json);
    }

    @Override
    public int hashCode() {
        return 31 * event.hashCode() + java.util.Arrays.hashCode(json);
    }

    @Override
    public String toString() {
        // The event redacts its secret; the bytes would not.
        return "SignedEvent[" + event + ", " + json.length + " bytes]";
    }
}
