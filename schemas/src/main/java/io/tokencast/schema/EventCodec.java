package io.tokencast.schema;

import static io.tokencast.schema.EventDecodingException.Problem.INVALID_FIELD;
import static io.tokencast.schema.EventDecodingException.Problem.MALFORMED_JSON;
import static io.tokencast.schema.EventDecodingException.Problem.MISSING_FIELD;
import static io.tokencast.schema.EventDecodingException.Problem.OUT_OF_RANGE;
import static io.tokencast.schema.EventDecodingException.Problem.PAYLOAD_TOO_LARGE;
import static io.tokencast.schema.EventDecodingException.Problem.UNSUPPORTED_SCHEMA_VERSION;
import static io.tokencast.schema.EventDecodingException.Problem.WRONG_TYPE;
import static tools.jackson.databind.cfg.CoercionAction.Fail;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.cfg.MutableCoercionConfig;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.type.LogicalType;

/**
 * The one codec for tokencast events: JSON bytes on Kafka and in Redis alike. Thread-safe; share
 * {@link #json()}. Decoding checks, in order: size (at most {@value #MAX_PAYLOAD_BYTES} bytes), JSON
 * syntax, {@code type}, {@code schemaVersion}, required fields, then the record's own rules and the
 * {@link Ranges} of the contract (versions, instants, lives, sizes); each failure
 * is an {@link EventDecodingException} whose {@link EventDecodingException#problem() problem} names the
 * rule. Unknown fields are ignored, so producers may add optional fields; known ones must have the type
 * their JSON Schema gives them (no {@code "7"} for 7, no epoch number for an instant).
 */
public final class EventCodec {

    /** Largest accepted payload, {@link Ranges#MAX_RECORD_BYTES}: room for members added later, and a cap. */
    public static final int MAX_PAYLOAD_BYTES = Ranges.MAX_RECORD_BYTES;

    private static final EventCodec JSON = new EventCodec();

    private static final Map<String, Class<? extends TokencastEvent>> TYPES = Map.of(
            "TokenRefreshed", TokenRefreshed.class,
            "TokenRetired", TokenRetired.class,
            "RefreshAttempted", RefreshAttempted.class,
            "RefreshRequested", RefreshRequested.class,
            "CredentialStored", CredentialStored.class,
            "ConsumerHeartbeat", ConsumerHeartbeat.class);

    // Reading is as strict as the JSON Schemas: no scalar coercion ("7" or 7.5 for a version, 1 for an
    // enum, a number for an instant or a string). FAIL_ON_NULL_FOR_PRIMITIVES stays off because Jackson
    // applies it to absent creator properties too, which would make the optional `force` required;
    // required primitives (TokenRefreshed.version) are checked against RequiredFields before binding.
    private final JsonMapper mapper = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .withCoercionConfig(LogicalType.Textual, EventCodec::failOnScalars)
            .withCoercionConfig(LogicalType.Enum, EventCodec::failOnScalars)
            .withCoercionConfig(UUID.class, config -> config.setCoercion(CoercionInputShape.EmptyString, Fail))
            .addModule(new SimpleModule("tokencast-strict-instants")
                    .addDeserializer(Instant.class, new IsoInstantDeserializer()))
            .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .changeDefaultPropertyInclusion(
                    incl -> JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
            .build();

    private final TokenRefreshedReader tokenRefreshedReader = new TokenRefreshedReader(mapper);

    private EventCodec() {}

    private static void failOnScalars(MutableCoercionConfig config) {
        config.setCoercion(CoercionInputShape.Integer, Fail)
                .setCoercion(CoercionInputShape.Float, Fail)
                .setCoercion(CoercionInputShape.Boolean, Fail);
    }

    /** The shared JSON codec. */
    public static EventCodec json() {
        return JSON;
    }

    /** Encodes an event with its envelope ({@code type}, {@code schemaVersion}) as UTF-8 JSON. */
    public byte[] encode(TokencastEvent event) {
        ObjectNode node = mapper.createObjectNode();
        node.put("type", event.type());
        node.put("schemaVersion", TokencastEvent.SCHEMA_VERSION);
        node.setAll((ObjectNode) mapper.valueToTree(event));
        byte[] bytes = mapper.writeValueAsBytes(node);
        if (bytes.length > MAX_PAYLOAD_BYTES) {
            throw new EventDecodingException(
                    PAYLOAD_TOO_LARGE,
                    event.type() + " encodes to " + bytes.length + " bytes; the limit is " + MAX_PAYLOAD_BYTES);
        }
        return bytes;
    }

    /** {@link #encode} as a string, for Redis and for humans. */
    public String encodeToString(TokencastEvent event) {
        return new String(encode(event), StandardCharsets.UTF_8);
    }

    /** Decodes any tokencast event. */
    public TokencastEvent decode(byte[] bytes) {
        JsonNode node = parse(bytes);
        String type = textField(node, "type");
        Class<? extends TokencastEvent> target = TYPES.get(type);
        if (target == null) {
            throw new EventDecodingException(
                    WRONG_TYPE, "unknown event type '" + abbreviate(type) + "'; expected one of " + TYPES.keySet());
        }
        return bind(node, target);
    }

    /** Decodes an event that must be of the given type. */
    public <T extends TokencastEvent> T decode(byte[] bytes, Class<T> expected) {
        // A consumer's cold start decodes every TokenRefreshed of the compacted topic: those get a streaming
        // reader. What it does not fully understand, valid or not, still takes the general path below.
        if (expected == TokenRefreshed.class) {
            TokenRefreshed event = tokenRefreshedReader.read(bytes);
            if (event != null) {
                return expected.cast(event);
            }
        }
        return decodeTree(bytes, expected);
    }

    /** The general path: the whole payload as a tree, then bound; what the streaming reader is held to. */
    <T extends TokencastEvent> T decodeTree(byte[] bytes, Class<T> expected) {
        JsonNode node = parse(bytes);
        String type = textField(node, "type");
        if (!expected.getSimpleName().equals(type)) {
            throw new EventDecodingException(
                    WRONG_TYPE,
                    "expected a " + expected.getSimpleName() + " but the type is '" + abbreviate(type) + "'");
        }
        return bind(node, expected);
    }

    /** The streaming reader alone: the event, or null where {@link #decode(byte[], Class)} falls back. */
    TokenRefreshed readStreaming(byte[] bytes) {
        return tokenRefreshedReader.read(bytes);
    }

    /** {@link #decode(byte[], Class)} for a string, e.g. a Redis value. */
    public <T extends TokencastEvent> T decode(String json, Class<T> expected) {
        return decode(json == null ? null : json.getBytes(StandardCharsets.UTF_8), expected);
    }

    private JsonNode parse(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new EventDecodingException(MALFORMED_JSON, "payload is empty");
        }
        if (bytes.length > MAX_PAYLOAD_BYTES) {
            throw new EventDecodingException(
                    PAYLOAD_TOO_LARGE, "payload is " + bytes.length + " bytes; the limit is " + MAX_PAYLOAD_BYTES);
        }
        JsonNode node;
        try {
            node = mapper.readTree(bytes);
        } catch (JacksonException e) {
            throw new EventDecodingException(MALFORMED_JSON, "payload is not JSON: " + location(e));
        }
        if (node == null || !node.isObject()) {
            throw new EventDecodingException(MALFORMED_JSON, "payload is not a JSON object");
        }
        JsonNode version = node.get("schemaVersion");
        if (version == null || version.isNull()) {
            throw new EventDecodingException(MISSING_FIELD, "schemaVersion is missing");
        }
        // canConvertToLong first: asLong() throws on a number beyond 64 bits.
        if (!version.isIntegralNumber()
                || !version.canConvertToLong()
                || version.longValue() != TokencastEvent.SCHEMA_VERSION) {
            throw new EventDecodingException(
                    UNSUPPORTED_SCHEMA_VERSION,
                    "schemaVersion " + abbreviate(version.toString()) + " is not supported; this reader knows "
                            + TokencastEvent.SCHEMA_VERSION);
        }
        return node;
    }

    private <T extends TokencastEvent> T bind(JsonNode node, Class<T> target) {
        String type = target.getSimpleName();
        for (String field : RequiredFields.of(target)) {
            JsonNode value = node.get(field);
            if (value == null || value.isNull()) {
                throw new EventDecodingException(MISSING_FIELD, type + "." + field + " is missing");
            }
        }
        JsonNode version = node.get("version");
        if (version != null && version.isIntegralNumber() && !version.canConvertToLong()) {
            // Past 64 bits is past 2^53-1 as well: say which rule it broke rather than "wrong type".
            throw new EventDecodingException(
                    OUT_OF_RANGE, type + ".version must be in [1, " + Ranges.MAX_VERSION + "] (2^53-1)");
        }
        try {
            return mapper.treeToValue(node, target);
        } catch (MismatchedInputException e) {
            throw new EventDecodingException(
                    INVALID_FIELD, type + "." + fieldPath(e) + " has the wrong type or format");
        } catch (JacksonException e) {
            Throwable cause = rootCause(e);
            // Only our own checks are quoted: they name the field, never a value. Any other message might
            // echo the input, and the input may hold a token.
            if (cause instanceof InvalidEventException || cause instanceof InvalidTokenKeyException) {
                RuntimeException invalid = (RuntimeException) cause;
                // A token key's check does not know which field it sits in; the path does.
                String where =
                        invalid instanceof InvalidEventException || e.getPath().isEmpty()
                                ? type
                                : type + "." + fieldPath(e);
                throw new EventDecodingException(
                        invalid instanceof OutOfRangeException ? OUT_OF_RANGE : INVALID_FIELD,
                        where + ": " + invalid.getMessage(),
                        invalid);
            }
            throw new EventDecodingException(INVALID_FIELD, type + "." + fieldPath(e) + " is invalid");
        }
    }

    private static String textField(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new EventDecodingException(MISSING_FIELD, field + " is missing");
        }
        if (!value.isString()) {
            throw new EventDecodingException(WRONG_TYPE, field + " must be a string");
        }
        return value.asString();
    }

    private static String fieldPath(JacksonException e) {
        String path = e.getPath().stream()
                .map(ref -> ref.getPropertyName() != null ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
                .reduce((a, b) -> a + "." + b)
                .orElse("?");
        return path;
    }

    private static String location(JacksonException e) {
        return e.getLocation() == null
                ? "unreadable"
                : "syntax error at line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr();
    }

    private static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
