package io.tokencast.trust.signing;

import io.tokencast.schema.EventCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.erdtman.jcs.JsonCanonicalizer;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Parses records and headers the one way signatures need: duplicate member names are an error (I-JSON,
 * RFC 7493), so the verifier and the codec can never see different values; and produces the JCS (RFC 8785)
 * form through the java-json-canonicalization library, never by hand.
 */
final class StrictJson {

    static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    private StrictJson() {}

    /** The JSON object in {@code bytes}; {@link RejectedException} when it is not one object or repeats a name. */
    static ObjectNode object(byte[] bytes, String what) {
        if (bytes == null || bytes.length == 0) {
            throw new RejectedException(Verdict.MALFORMED, what + " is empty");
        }
        if (bytes.length > EventCodec.MAX_PAYLOAD_BYTES) {
            throw new RejectedException(
                    Verdict.MALFORMED,
                    what + " is " + bytes.length + " bytes; the limit is " + EventCodec.MAX_PAYLOAD_BYTES);
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(bytes);
        } catch (JacksonException e) {
            // Jackson's message names the duplicate member; never quote values, they may hold a token.
            boolean duplicate =
                    e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate Object property");
            throw new RejectedException(
                    duplicate ? Verdict.DUPLICATE_MEMBER : Verdict.MALFORMED,
                    duplicate ? what + " repeats a member name" : what + " is not JSON");
        }
        if (node == null || !node.isObject()) {
            throw new RejectedException(Verdict.MALFORMED, what + " is not a JSON object");
        }
        return (ObjectNode) node;
    }

    /** The JCS (RFC 8785) UTF-8 bytes of {@code tree}. */
    static byte[] canonical(JsonNode tree) {
        try {
            return new JsonCanonicalizer(MAPPER.writeValueAsString(tree)).getEncodedUTF8();
        } catch (IOException | RuntimeException e) {
            // The canonicalizer refuses what JCS cannot represent (e.g. a number beyond a double's range).
            throw new RejectedException(
                    Verdict.MALFORMED,
                    "the record has no JCS form: " + e.getClass().getSimpleName());
        }
    }

    /** The JCS form of a JSON text, for tests and the published vectors. */
    static String canonical(String json) {
        return new String(
                canonical(object(json.getBytes(StandardCharsets.UTF_8), "the input")), StandardCharsets.UTF_8);
    }
}
