package io.tokencast.refresher.service;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import io.tokencast.schema.EventSchemas;
import io.tokencast.schema.TokencastEvent;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Validates event JSON against the schemas jar's JSON Schemas (draft 2020-12, formats asserted). */
final class Schemas {

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaRegistryConfig(
                    SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
    private static final Map<Class<?>, Schema> SCHEMAS = new ConcurrentHashMap<>();

    private Schemas() {}

    /** The validation errors of the JSON; empty when valid. */
    static List<String> errors(Class<? extends TokencastEvent> type, byte[] json) {
        Schema schema = SCHEMAS.computeIfAbsent(type, t -> {
            try (InputStream in = Schemas.class.getResourceAsStream(EventSchemas.resourcePath(type))) {
                if (in == null) {
                    throw new IllegalStateException("no schema on the classpath at " + EventSchemas.resourcePath(type));
                }
                return REGISTRY.getSchema(in, InputFormat.JSON);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });
        return schema.validate(new String(json, StandardCharsets.UTF_8), InputFormat.JSON).stream()
                .map(Error::toString)
                .toList();
    }
}
