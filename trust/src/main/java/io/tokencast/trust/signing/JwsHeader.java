package io.tokencast.trust.signing;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The protected header of a tokencast signature, {@code {"alg":…,"kid":…,"typ":…}} and nothing else: no
 * {@code crit}, no {@code b64}, no key carried in the header, so the payload is always the base64url JCS form
 * and the key always comes from the reader's own set.
 */
record JwsHeader(String alg, String kid, String typ) {

    private static final Set<String> MEMBERS = Set.of("alg", "kid", "typ");
    static final int MAX_ENCODED_LENGTH = 1024;

    /** The header's JSON, members in JCS order, as its base64url text. */
    String encode() {
        ObjectNode node = StrictJson.MAPPER.createObjectNode();
        node.put("alg", alg);
        node.put("kid", kid);
        node.put("typ", typ);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(StrictJson.MAPPER.writeValueAsBytes(node));
    }

    static JwsHeader decode(String encoded) {
        if (encoded.length() > MAX_ENCODED_LENGTH) {
            throw new RejectedException(
                    Verdict.BAD_HEADER, "the protected header is over " + MAX_ENCODED_LENGTH + " chars");
        }
        byte[] json;
        try {
            json = Base64.getUrlDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new RejectedException(Verdict.BAD_HEADER, "the protected header is not base64url");
        }
        ObjectNode node;
        try {
            node = StrictJson.object(json, "the protected header");
        } catch (RejectedException e) {
            throw new RejectedException(Verdict.BAD_HEADER, e.getMessage());
        }
        for (String name : node.propertyNames()) {
            if (!MEMBERS.contains(name)) {
                throw new RejectedException(
                        Verdict.BAD_HEADER,
                        "the protected header has a member '"
                                + (name.length() > 20 ? name.substring(0, 20) + "…" : name)
                                + "'; only alg, kid and typ are allowed");
            }
        }
        return new JwsHeader(text(node, "alg"), text(node, "kid"), text(node, "typ"));
    }

    private static String text(ObjectNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || !value.isString() || value.asString().isEmpty()) {
            throw new RejectedException(Verdict.BAD_HEADER, "the protected header has no " + name);
        }
        return value.asString();
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
