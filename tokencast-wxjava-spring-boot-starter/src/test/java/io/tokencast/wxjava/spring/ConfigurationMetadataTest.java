package io.tokencast.wxjava.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The generated metadata is what IDEs show: every property is there, and every one says what it does. */
class ConfigurationMetadataTest {

    @Test
    @SuppressWarnings("unchecked")
    void everyPropertyIsDescribed() throws IOException {
        Map<String, Object> metadata;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("generated metadata").isNotNull();
            metadata = JsonMapper.builder().build().readValue(in, Map.class);
        }
        List<Map<String, Object>> properties = (List<Map<String, Object>>) metadata.get("properties");

        assertThat(properties)
                .extracting(p -> p.get("name"))
                .contains(
                        "tokencast.wxjava.enabled",
                        "tokencast.wxjava.await-next",
                        "tokencast.wxjava.mp.app-id",
                        "tokencast.wxjava.miniapp.appid",
                        "tokencast.wxjava.cp.corp-id",
                        "tokencast.wxjava.cp.agent-id",
                        "tokencast.wxjava.open.component-app-id");
        assertThat(properties).allSatisfy(p -> assertThat((String) p.get("description"))
                .as("description of %s", p.get("name"))
                .isNotBlank());
    }
}
