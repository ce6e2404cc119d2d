package io.tokencast.schema;

import static tools.jackson.core.sym.PropertyNameMatcher.MATCH_END_OBJECT;
import static tools.jackson.core.sym.PropertyNameMatcher.MATCH_ODD_TOKEN;
import static tools.jackson.core.sym.PropertyNameMatcher.MATCH_UNKNOWN_NAME;

import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonParser.NumberType;
import tools.jackson.core.JsonToken;
import tools.jackson.core.sym.PropertyNameMatcher;
import tools.jackson.core.util.Named;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a {@link TokenRefreshed} in one streaming pass, with no tree and no data binding, because a
 * consumer's cold start decodes every record of the compacted topic. It accepts only what it fully
 * understands (a valid event, each value in the form {@link EventCodec} writes) and returns null for
 * anything else, valid or not; {@link EventCodec} then takes its general path, which decides and words
 * every rejection exactly as before. Thread-safe.
 */
final class TokenRefreshedReader {

    private static final Field[] FIELDS = Field.values();

    private final JsonMapper mapper;
    // Matches property names on the raw bytes while parsing, as Jackson's own bean deserializers do.
    private final PropertyNameMatcher names;

    TokenRefreshedReader(JsonMapper mapper) {
        this.mapper = mapper;
        this.names = mapper.tokenStreamFactory()
                .constructNameMatcher(
                        Arrays.stream(FIELDS).map(f -> Named.fromString(f.json)).toList(), true);
    }

    /** The event, or null when the general path must decide. */
    TokenRefreshed read(byte[] bytes) {
        if (bytes == null || bytes.length == 0 || bytes.length > EventCodec.MAX_PAYLOAD_BYTES) {
            return null;
        }
        // The mapper's parser, so that syntax rules and read constraints are those of the general path.
        try (JsonParser parser = mapper.createParser(bytes)) {
            Fields fields = readObject(parser, names);
            return fields == null ? null : fields.toEvent();
        } catch (JacksonException | InvalidEventException | InvalidTokenKeyException e) {
            // Broken JSON or a broken rule: the general path reads the payload again to name the problem.
            return null;
        }
    }

    private static Fields readObject(JsonParser parser, PropertyNameMatcher names) {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        Fields fields = new Fields();
        for (int match = parser.nextNameMatch(names); match != MATCH_END_OBJECT; match = parser.nextNameMatch(names)) {
            if (!accept(fields, match, parser)) {
                return null;
            }
        }
        // Anything after the object fails the general path (FAIL_ON_TRAILING_TOKENS).
        return parser.nextToken() == null && fields.complete() ? fields : null;
    }

    private static boolean accept(Fields fields, int match, JsonParser parser) {
        if (match == MATCH_ODD_TOKEN) {
            return false;
        }
        JsonToken value = parser.nextToken();
        return match == MATCH_UNKNOWN_NAME ? skipUnknown(value, parser) : fields.accept(FIELDS[match], value, parser);
    }

    /** Skips the value of a field this reader does not know; false when the general path must decide. */
    private static boolean skipUnknown(JsonToken token, JsonParser parser) {
        if (!token.isStructStart()) {
            return isPlain(token, parser);
        }
        int depth = 0;
        for (JsonToken t = token; t != null; t = parser.nextToken()) {
            if (t.isStructStart()) {
                depth++;
            } else if (t.isStructEnd()) {
                if (--depth == 0) {
                    return true;
                }
            } else if (!isPlain(t, parser)) {
                return false;
            }
        }
        return false;
    }

    // The general path's tree reader decodes every value it meets, and decoding is where invalid UTF-8 and
    // numbers past Jackson's length limits fail; skipping would not notice. So strings are decoded too, and
    // only numbers that surely fit a long stay on this path.
    private static boolean isPlain(JsonToken token, JsonParser parser) {
        return switch (token) {
            case VALUE_STRING -> parser.getString() != null;
            case VALUE_NUMBER_INT -> parser.getNumberType() != NumberType.BIG_INTEGER;
            case VALUE_NUMBER_FLOAT -> false;
            default -> true;
        };
    }

    /** The fields of TokenRefreshed's JSON; required as {@link RequiredFields} says, like the general path. */
    private enum Field {
        TYPE("type"),
        SCHEMA_VERSION("schemaVersion"),
        EVENT_ID("eventId"),
        TOKEN_KEY("tokenKey"),
        KIND("kind"),
        ACCOUNT("account"),
        VERSION("version"),
        TOKEN("token"),
        ENCRYPTED_TOKEN("encryptedToken"),
        FINGERPRINT("fingerprint"),
        ISSUED_AT("issuedAt"),
        EXPIRES_AT("expiresAt"),
        NEXT_REFRESH_AT("nextRefreshAt"),
        REASON("reason"),
        REFRESHER("refresher"),
        CAUSATION_ID("causationId");

        static final int REQUIRED = Arrays.stream(values())
                .filter(f -> f.required)
                .mapToInt(Field::bit)
                .reduce(0, (a, b) -> a | b);

        final String json;
        final boolean required;

        Field(String json) {
            this.json = json;
            // The envelope, and the one list the codec checks too.
            this.required = json.equals("type")
                    || json.equals("schemaVersion")
                    || RequiredFields.of(TokenRefreshed.class).contains(json);
        }

        int bit() {
            return 1 << ordinal();
        }
    }

    /** The values read so far. */
    private static final class Fields {

        private static final Map<String, TokenKind> KINDS =
                Arrays.stream(TokenKind.values()).collect(Collectors.toUnmodifiableMap(TokenKind::id, k -> k));
        private static final Map<String, RefreshReason> REASONS = Arrays.stream(RefreshReason.values())
                .collect(Collectors.toUnmodifiableMap(RefreshReason::name, r -> r));

        private int seen;
        private UUID eventId;
        private TokenKey tokenKey;
        private TokenKind kind;
        private String account;
        private long version;
        private String token;
        private String encryptedToken;
        private String fingerprint;
        private Instant issuedAt;
        private Instant expiresAt;
        private Instant nextRefreshAt;
        private RefreshReason reason;
        private String refresher;
        private UUID causationId;

        /**
         * Takes one known property, consuming its value; false when the general path must decide: a known field
         * twice (the general path keeps the last), null, of another type or in another form.
         */
        boolean accept(Field field, JsonToken valueToken, JsonParser parser) {
            if ((seen & field.bit()) != 0) {
                return false;
            }
            seen |= field.bit();
            return switch (field) {
                case SCHEMA_VERSION -> isSchemaVersion(valueToken, parser);
                case VERSION -> readVersion(valueToken, parser);
                default -> valueToken == JsonToken.VALUE_STRING && store(field, parser.getString());
            };
        }

        /** Stores a text field's value; false when it is not in the form this reader handles. */
        private boolean store(Field field, String text) {
            return switch (field) {
                case TYPE -> text.equals("TokenRefreshed");
                case EVENT_ID -> (eventId = CanonicalText.uuid(text)) != null;
                case TOKEN_KEY -> (tokenKey = TokenKey.parse(text)) != null;
                case KIND -> (kind = KINDS.get(text)) != null;
                case ACCOUNT -> (account = text) != null;
                case TOKEN -> (token = text) != null;
                case ENCRYPTED_TOKEN -> (encryptedToken = text) != null;
                case FINGERPRINT -> (fingerprint = text) != null;
                case ISSUED_AT -> (issuedAt = CanonicalText.instant(text)) != null;
                case EXPIRES_AT -> (expiresAt = CanonicalText.instant(text)) != null;
                case NEXT_REFRESH_AT -> (nextRefreshAt = CanonicalText.instant(text)) != null;
                case REASON -> (reason = REASONS.get(text)) != null;
                case REFRESHER -> (refresher = text) != null;
                case CAUSATION_ID -> (causationId = CanonicalText.uuid(text)) != null;
                case SCHEMA_VERSION, VERSION -> false;
            };
        }

        private static boolean isSchemaVersion(JsonToken token, JsonParser parser) {
            return token == JsonToken.VALUE_NUMBER_INT
                    && parser.getNumberType() == NumberType.INT
                    && parser.getIntValue() == TokencastEvent.SCHEMA_VERSION;
        }

        private boolean readVersion(JsonToken valueToken, JsonParser parser) {
            // A number beyond 64 bits fails the general path with its own message.
            if (valueToken != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() == NumberType.BIG_INTEGER) {
                return false;
            }
            version = parser.getLongValue();
            return true;
        }

        boolean complete() {
            return (seen & Field.REQUIRED) == Field.REQUIRED;
        }

        /** The event; its constructor applies the record's own rules, as on the general path. */
        TokenRefreshed toEvent() {
            return new TokenRefreshed(
                    eventId,
                    tokenKey,
                    kind,
                    account,
                    version,
                    token,
                    encryptedToken,
                    fingerprint,
                    issuedAt,
                    expiresAt,
                    nextRefreshAt,
                    reason,
                    refresher,
                    causationId);
        }
    }
}
