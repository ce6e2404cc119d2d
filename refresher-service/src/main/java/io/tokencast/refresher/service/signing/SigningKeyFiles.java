package io.tokencast.refresher.service.signing;

import io.tokencast.trust.signing.KeySetRole;
import io.tokencast.trust.signing.SigningKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The refresher's signing key as files: a private JWK set readable by its owner only, and the public set readers
 * trust. What {@code tokencast keys generate} writes for an operator, this writes for the demo and for tests.
 */
public final class SigningKeyFiles {

    /** The private file's name in a directory written by {@link #generate}. */
    public static final String PRIVATE_FILE = "refresher-signing.private.jwks.json";

    /** The public file's name in a directory written by {@link #generate}. */
    public static final String PUBLIC_FILE = "refresher-signing.public.jwks.json";

    private static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private SigningKeyFiles() {}

    /** Where {@link #generate} wrote a key. */
    public record Generated(Path privateFile, Path publicFile, String kid) {}

    /**
     * A new Ed25519 refresher key with id {@code kid}, written to {@code directory} as {@link #PRIVATE_FILE}
     * (mode 0600 where the file system has POSIX modes) and {@link #PUBLIC_FILE}.
     */
    public static Generated generate(Path directory, String kid) {
        SigningKey key = SigningKey.generateEd25519(kid, null, KeySetRole.REFRESHER);
        try {
            Files.createDirectories(directory);
            Path privateFile = directory.resolve(PRIVATE_FILE);
            Path publicFile = directory.resolve(PUBLIC_FILE);
            writeOwnerOnly(privateFile, key.privateJwkSetJson());
            Files.writeString(publicFile, key.publicJwkSetJson(), StandardCharsets.UTF_8);
            return new Generated(privateFile, publicFile, kid);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write a signing key to " + directory, e);
        }
    }

    /**
     * {@link #generate} into a new temporary directory, deleted when the JVM exits: for the demo and tests, which
     * start refreshers that must sign with some key.
     */
    public static Generated temporary(String kid) {
        try {
            Path directory = Files.createTempDirectory("tokencast-signing-");
            Generated generated = generate(directory, kid);
            // Deleted in reverse order of registration: the files first, then their directory.
            directory.toFile().deleteOnExit();
            generated.privateFile().toFile().deleteOnExit();
            generated.publicFile().toFile().deleteOnExit();
            return generated;
        } catch (IOException e) {
            throw new UncheckedIOException("could not make a temporary directory for a signing key", e);
        }
    }

    private static void writeOwnerOnly(Path file, String json) throws IOException {
        Files.deleteIfExists(file);
        if (Files.getFileStore(file.getParent()).supportsFileAttributeView(PosixFileAttributeView.class)) {
            // Created with its mode, so the key is never readable by others, not even for a moment.
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } else {
            Files.createFile(file);
        }
        Files.writeString(file, json, StandardCharsets.UTF_8);
    }

    /**
     * What is wrong with a private key file's mode: a problem when others may read it (refused), a warning when
     * its group may (tolerated: secret volumes are often mounted group-readable); empty when neither, or when
     * the file system has no POSIX modes.
     */
    static Optional<Exposure> exposure(Path file) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null) {
            return Optional.empty();
        }
        Set<PosixFilePermission> mode = view.readAttributes().permissions();
        if (mode.contains(PosixFilePermission.OTHERS_READ)) {
            return Optional.of(new Exposure(true, PosixFilePermissions.toString(mode)));
        }
        if (mode.contains(PosixFilePermission.GROUP_READ)) {
            return Optional.of(new Exposure(false, PosixFilePermissions.toString(mode)));
        }
        return Optional.empty();
    }

    /** A private key file others ({@code refused}) or its group may read, with its mode as {@code rw-r--r--}. */
    record Exposure(boolean refused, String mode) {}
}
