package io.tokencast.trust;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The independent JOSE test vectors (test resources {@code jose-vectors/}, published as docs/jose-vectors/):
 * one loader for the signature tests here and the encryption tests beside them.
 */
public final class JoseVectors {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** One case of {@code records.json}; {@code record} is the exact text as it arrives. */
    public record Case(
            String name,
            String record,
            String verifyWith,
            boolean valid,
            String why,
            String plaintext,
            String kafkaKey) {

        public byte[] bytes() {
            return record.getBytes(StandardCharsets.UTF_8);
        }

        /** Whether the record carries a JWE ({@code encryptedToken} / {@code encryptedValue}). */
        public boolean encrypted() {
            return record.contains("\"encryptedToken\"") || record.contains("\"encryptedValue\"");
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private JoseVectors() {}

    /** The text of a vector file, e.g. {@code refresher.jwks.json}. */
    public static String file(String name) {
        try (InputStream in = JoseVectors.class.getResourceAsStream("/jose-vectors/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource jose-vectors/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode json(String name) {
        return MAPPER.readTree(file(name));
    }

    /** The instant the time rules of {@code records.json} are judged at. */
    public static Instant now() {
        return Instant.parse(json("records.json").get("now").asString());
    }

    public static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (JsonNode node : json("records.json").get("cases")) {
            cases.add(new Case(
                    node.get("name").asString(),
                    node.get("record").asString(),
                    node.get("verifyWith").asString(),
                    switch (node.get("verdict").asString()) {
                        case "valid" -> true;
                        case "invalid" -> false;
                        default -> throw new IllegalStateException("unknown verdict in case " + node.get("name"));
                    },
                    node.get("why").asString(),
                    node.has("plaintext") ? node.get("plaintext").asString() : null,
                    node.has("kafkaKey") ? node.get("kafkaKey").asString() : null));
        }
        return List.copyOf(cases);
    }
}
