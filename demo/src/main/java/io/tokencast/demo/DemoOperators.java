package io.tokencast.demo;

import io.tokencast.trust.signing.KeySetRole;
import io.tokencast.trust.signing.SigningKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The demo's operator keys, fresh each run, as {@code tokencast keys generate --operator} writes them: one for the
 * console (it signs the refresh buttons' commands, naming the logged-in user), one for the person running the
 * demo to sign {@code tokencast refresh} with. The refreshers trust the public halves only; each private key
 * stays with its one user (docs/security.md §6).
 *
 * @param operatorsSet the public JWK set of both, {@code tokencast.admin.operator-keys-file}
 * @param consoleKey the console's private JWK set, {@code tokencast.console.operator-key-file}
 * @param yourKey the demo user's private JWK set, for {@code tokencast refresh --operator-key}
 */
record DemoOperators(Path operatorsSet, Path consoleKey, Path yourKey) {

    static final String CONSOLE = "console";
    static final String YOU = "demo-operator";

    static DemoOperators fresh() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        SigningKey console = SigningKey.generateEd25519(CONSOLE + "-" + run, CONSOLE, KeySetRole.OPERATORS);
        SigningKey you = SigningKey.generateEd25519(YOU + "-" + run, YOU, KeySetRole.OPERATORS);
        try {
            Path dir = Files.createTempDirectory(
                    "tokencast-demo-keys-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path set = dir.resolve("operators.jwks.json");
            Files.writeString(set, publicSet(console, you));
            Path consoleKey = secret(dir.resolve(CONSOLE + ".private.jwks.json"), console.privateJwkSetJson());
            Path yourKey = secret(dir.resolve(YOU + ".private.jwks.json"), you.privateJwkSetJson());
            for (Path file : new Path[] {set, consoleKey, yourKey, dir}) {
                file.toFile().deleteOnExit();
            }
            return new DemoOperators(set, consoleKey, yourKey);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo's operator keys", e);
        }
    }

    /** Both public keys in one JWK set. */
    private static String publicSet(SigningKey first, SigningKey second) {
        JsonMapper json = JsonMapper.builder().build();
        ObjectNode set = (ObjectNode) json.readTree(first.publicJwkSetJson());
        ((ArrayNode) set.get("keys"))
                .addAll((ArrayNode) json.readTree(second.publicJwkSetJson()).get("keys"));
        return json.writerWithDefaultPrettyPrinter().writeValueAsString(set) + "\n";
    }

    private static Path secret(Path file, String json) throws IOException {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, json);
        return file;
    }
}
