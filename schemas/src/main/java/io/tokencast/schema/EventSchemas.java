package io.tokencast.schema;

import java.util.Locale;
import java.util.Objects;

/**
 * Where the JSON Schema (draft 2020-12) of each event lives on the classpath, so that any module's tests
 * can validate what it writes, e.g. {@code /schemas/token-refreshed.schema.json}.
 */
public final class EventSchemas {

    private static final String BASE_ID = "https://tokencast.io/schemas/";

    private EventSchemas() {}

    /** The classpath resource of the event type's schema, for {@link Class#getResourceAsStream(String)}. */
    public static String resourcePath(Class<? extends TokencastEvent> type) {
        return "/schemas/" + fileName(type);
    }

    /** The schema's {@code $id}, e.g. {@code https://tokencast.io/schemas/token-refreshed.schema.json}. */
    public static String id(Class<? extends TokencastEvent> type) {
        return BASE_ID + fileName(type);
    }

    private static String fileName(Class<? extends TokencastEvent> type) {
        Objects.requireNonNull(type, "type");
        // TokenRefreshed -> token-refreshed
        String kebab =
                type.getSimpleName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
        return kebab + ".schema.json";
    }
}
