package io.tokencast.sidecar;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/** The sidecar's one JSON mapper, with input limits fit for small request bodies. */
final class Json {

    static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(16)
                            .maxStringLength(16 * 1024)
                            .maxNumberLength(32)
                            .build())
                    .build())
            .build();

    private Json() {}

    /** Members in the order given, as WeChat writes them: {@code fields("access_token", t, "expires_in", 7200)}. */
    static Map<String, Object> fields(Object... keysAndValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            out.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return out;
    }
}
