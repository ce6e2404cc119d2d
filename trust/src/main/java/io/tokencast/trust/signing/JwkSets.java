package io.tokencast.trust.signing;

import com.nimbusds.jose.jwk.JWK;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and writes JWK sets (RFC 7517) as tokencast uses them: each key with a unique {@code kid}, an
 * optional {@code name} (required in the operator set), Ed25519 or P-256 only. Configuration is untrusted
 * input too: sizes are capped and every error names the key and the fix.
 */
final class JwkSets {

    static final int MAX_KEYS = 64;
    static final int MAX_BYTES = 256 * 1024;
    static final int MAX_NAME_LENGTH = 200;

    /** One parsed key with tokencast's own member. */
    record Entry(JWK jwk, String name, Algorithm algorithm) {}

    private JwkSets() {}

    static String read(Path file) {
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new IllegalArgumentException(
                        "JWK set file " + file + " is " + size + " bytes; the limit is " + MAX_BYTES);
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read JWK set file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The keys of a JWK set, or of a single JWK. */
    static List<Entry> parse(String json, KeySetRole role, String what) {
        if (json == null || json.isBlank()) {
            throw new IllegalArgumentException(what + " is empty: expected a JWK set {\"keys\":[...]}");
        }
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_BYTES) {
            throw new IllegalArgumentException(what + " is " + bytes.length + " bytes; the limit is " + MAX_BYTES);
        }
        ObjectNode root;
        try {
            root = StrictJson.object(bytes, what);
        } catch (RejectedException e) {
            throw new IllegalArgumentException(what + " is not a JWK set: " + e.getMessage());
        }
        List<JsonNode> keys = new ArrayList<>();
        if (root.has("keys")) {
            if (!(root.get("keys") instanceof ArrayNode array)) {
                throw new IllegalArgumentException(what + ": \"keys\" must be an array");
            }
            array.forEach(keys::add);
        } else {
            keys.add(root);
        }
        if (keys.isEmpty() || keys.size() > MAX_KEYS) {
            throw new IllegalArgumentException(what + " holds " + keys.size() + " keys; it must hold 1 to " + MAX_KEYS);
        }
        List<Entry> entries = new ArrayList<>();
        Set<String> kids = new HashSet<>();
        for (JsonNode node : keys) {
            Entry entry = entry(node, role, what);
            if (!kids.add(entry.jwk().getKeyID())) {
                throw new IllegalArgumentException(
                        what + " holds kid '" + entry.jwk().getKeyID() + "' twice; every key needs its own kid");
            }
            entries.add(entry);
        }
        return List.copyOf(entries);
    }

    private static Entry entry(JsonNode node, KeySetRole role, String what) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(what + ": every key must be a JSON object");
        }
        JWK jwk;
        try {
            jwk = JWK.parse(StrictJson.MAPPER.writeValueAsString(node));
        } catch (ParseException e) {
            // Nimbus's message names the member, never a key's value.
            throw new IllegalArgumentException(what + " holds a key that is not a JWK: " + e.getMessage());
        }
        String kid = jwk.getKeyID();
        if (kid == null || kid.isBlank() || kid.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException(what + " holds a key without a kid (or one over " + MAX_NAME_LENGTH
                    + " chars); keys rotate by kid");
        }
        Algorithm algorithm = Algorithm.of(jwk);
        if (jwk.getAlgorithm() != null && !jwk.getAlgorithm().getName().equals(algorithm.name())) {
            throw new IllegalArgumentException("key '" + kid + "' in " + what + " says alg " + jwk.getAlgorithm()
                    + " but is a " + algorithm + " key");
        }
        if (jwk.getKeyUse() != null && !"sig".equals(jwk.getKeyUse().identifier())) {
            throw new IllegalArgumentException("key '" + kid + "' in " + what + " is for use '"
                    + jwk.getKeyUse().identifier() + "', not 'sig'");
        }
        JsonNode nameNode = node.get("name");
        String name =
                nameNode != null && nameNode.isString() ? nameNode.asString().strip() : null;
        if (nameNode != null && (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH)) {
            throw new IllegalArgumentException("key '" + kid + "' in " + what
                    + " has a name that is not a text of 1 to " + MAX_NAME_LENGTH + " chars");
        }
        if (role == KeySetRole.OPERATORS && name == null) {
            throw new IllegalArgumentException("operator key '" + kid + "' in " + what
                    + " has no \"name\": the audit credits commands to the verified key's name");
        }
        return new Entry(jwk, name, algorithm);
    }

    /** A JWK set's JSON with tokencast's {@code name} member kept. */
    static String write(List<Entry> entries, boolean withPrivate) {
        ObjectNode root = StrictJson.MAPPER.createObjectNode();
        ArrayNode keys = root.putArray("keys");
        for (Entry entry : entries) {
            JWK jwk = withPrivate ? entry.jwk() : entry.jwk().toPublicJWK();
            Map<String, Object> members = new LinkedHashMap<>(jwk.toJSONObject());
            if (entry.name() != null) {
                members.put("name", entry.name());
            }
            keys.add(StrictJson.MAPPER.valueToTree(members));
        }
        return StrictJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    }
}
