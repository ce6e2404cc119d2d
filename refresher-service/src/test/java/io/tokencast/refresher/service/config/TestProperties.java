package io.tokencast.refresher.service.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokencast.refresher.service.ConfigurationCheck;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** Binds {@code tokencast.*} from flat properties the way Spring Boot does, defaults included. */
final class TestProperties {

    /** The AppSecret the configuration tests use; no message may ever contain it. */
    static final String SECRET = "test-only-secret-not-a-real-one1";

    private final Map<String, String> values = new LinkedHashMap<>();

    static TestProperties of(String... keysAndValues) {
        TestProperties p = new TestProperties();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            p.values.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return p;
    }

    /** One app, {@code tokencast.apps[0]}. */
    static TestProperties app(String kind, String account, String secret) {
        return of(
                "tokencast.apps[0].kind", kind,
                "tokencast.apps[0].account", account,
                "tokencast.apps[0].secret", secret);
    }

    /** Asserts that start-up refuses {@code properties} with exactly these problems, none naming the secret. */
    static void assertProblems(TestProperties properties, String... expected) {
        assertThatThrownBy(() -> ConfigurationCheck.catalog(properties.bind()))
                .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> {
                    assertThat(e.problems()).containsExactly(expected);
                    assertThat(e.getMessage()).doesNotContain(SECRET);
                });
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
