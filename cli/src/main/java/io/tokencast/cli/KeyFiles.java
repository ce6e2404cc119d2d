package io.tokencast.cli;

import io.tokencast.trust.signing.KeySetRole;
import io.tokencast.trust.signing.SigningKey;
import io.tokencast.trust.signing.VerificationKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Writes key files: secret ones readable by their owner only, none ever over an existing file. */
final class KeyFiles {

    static final Set<PosixFilePermission> SECRET = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One file to write. */
    record Content(Path file, String text, boolean secret) {}

    private KeyFiles() {}

    /**
     * Writes every file, or none when any of them exists already.
     *
     * @throws IllegalArgumentException naming the file that exists or cannot be written
     */
    static void writeNew(List<Content> contents) {
        for (Content content : contents) {
            if (Files.exists(content.file())) {
                throw new IllegalArgumentException(content.file() + " exists; tokencast keys generate never"
                        + " overwrites a key (move it away, or give another --kid or --dir)");
            }
        }
        for (Content content : contents) {
            create(content.file(), content.text(), content.secret() ? SECRET : PUBLIC);
        }
    }

    /**
     * Adds the public half of {@code key} to the JWK set {@code file}, creating it when missing; the result must
     * still load as a key set of {@code role}.
     */
    static void addPublicKey(Path file, SigningKey key, KeySetRole role) {
        ObjectNode addition = (ObjectNode) JSON.readTree(key.publicJwkSetJson());
        if (!Files.exists(file)) {
            create(file, key.publicJwkSetJson(), PUBLIC);
            return;
        }
        JsonNode set;
        try {
            set = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read the JWK set " + file + " to add the key to ("
                    + e.getClass().getSimpleName() + ")");
        }
        if (!(set instanceof ObjectNode object) || !(object.get("keys") instanceof ArrayNode keys)) {
            throw new IllegalArgumentException(file + " is not a JWK set {\"keys\":[...]}; nothing was added");
        }
        for (JsonNode existing : keys) {
            if (key.kid().equals(existing.path("kid").asString(null))) {
                throw new IllegalArgumentException(file + " already holds kid '" + key.kid() + "'");
            }
        }
        keys.addAll((ArrayNode) addition.get("keys"));
        String text = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(object) + "\n";
        // Refuse to write what the refresher would refuse to load.
        VerificationKeys.parse(text, role);
        try {
            Path temporary = Files.createTempFile(
                    file.toAbsolutePath().getParent(),
                    ".tokencast-",
                    ".tmp",
                    PosixFilePermissions.asFileAttribute(PUBLIC));
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void create(Path file, String text, Set<PosixFilePermission> permissions) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            // Created with its permissions, so a secret is never readable by others, not even for a moment.
            FileAttribute<Set<PosixFilePermission>> attribute = PosixFilePermissions.asFileAttribute(permissions);
            Files.createFile(file, attribute);
            // The umask may have taken bits away from a public file; a secret keeps exactly 0600.
            Files.setPosixFilePermissions(file, permissions);
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalArgumentException(file + " exists; tokencast keys generate never overwrites a key");
        } catch (UnsupportedOperationException e) {
            throw new IllegalArgumentException("cannot set file permissions on " + file
                    + " (not a POSIX file system); write keys where their permissions can be set");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
