package io.tokencast.schema;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Loads the events' JSON Schemas from the classpath and validates JSON against them. */
final class SchemaCheck {

    // In draft 2020-12 "format" only annotates unless asked to assert; the contract relies on uuid and
    // date-time being checked.
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaRegistryConfig(
                    SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final Map<Class<?>, Schema> SCHEMAS = new ConcurrentHashMap<>();

    private SchemaCheck() {}

    /** The validation errors of the JSON against the schema of the event type; empty when valid. */
    static List<String> errors(Class<? extends TokencastEvent> type, byte[] json) {
        Schema schema = SCHEMAS.computeIfAbsent(
                type, t -> REGISTRY.getSchema(new ByteArrayInputStream(schemaBytes(type)), InputFormat.JSON));
        return schema.validate(new String(json, StandardCharsets.UTF_8), InputFormat.JSON).stream()
                .map(Error::toString)
                .toList();
    }

    /** The errors of the event type's schema itself against the draft 2020-12 meta-schema. */
    static List<String> metaSchemaErrors(Class<? extends TokencastEvent> type) {
        Schema meta = REGISTRY.getSchema(SchemaLocation.of(SpecificationVersion.DRAFT_2020_12.getDialectId()));
        return meta.validate(new String(schemaBytes(type), StandardCharsets.UTF_8), InputFormat.JSON).stream()
                .map(Error::toString)
                .toList();
    }

    static JsonNode schemaNode(Class<? extends TokencastEvent> type) {
        return MAPPER.readTree(schemaBytes(type));
    }

    /** The schema's top-level {@code required} list. */
    static List<String> required(Class<? extends TokencastEvent> type) {
        List<String> required = new ArrayList<>();
        schemaNode(type).get("required").forEach(field -> required.add(field.asString()));
        return required;
    }

    /** The schema's top-level {@code properties}. */
    static List<String> properties(Class<? extends TokencastEvent> type) {
        return List.copyOf(schemaNode(type).get("properties").propertyNames());
    }

    private static byte[] schemaBytes(Class<? extends TokencastEvent> type) {
        return SampleEvents.resource(EventSchemas.resourcePath(type));
    }
}
