package io.tokencast.refresher.config;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** Binds {@code tokencast.*} from flat properties the way Spring Boot does, defaults included. */
final class TestProperties {

    private final Map<String, String> values = new LinkedHashMap<>();

    static TestProperties of(String... keysAndValues) {
        TestProperties p = new TestProperties();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            p.values.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return p;
    }

    TestProperties with(String key, String value) {
        values.put(key, value);
        return this;
    }

    TokencastProperties bind() {
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("tokencast", TokencastProperties.class);
    }
}
