package io.tokencast.refresher.service;

import io.tokencast.schema.RefreshRequested;
import io.tokencast.schema.TokenKey;
import io.tokencast.trust.signing.CommandSigner;
import io.tokencast.trust.signing.KeySetRole;
import io.tokencast.trust.signing.SigningKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;

/**
 * An operator of a test: an Ed25519 operator key with a name, its public half in a JWK set file a refresher is
 * pointed at ({@code tokencast.admin.operator-keys-file}), and the signer of its commands.
 */
public final class Operator {

    private final SigningKey key;
    private final CommandSigner signer;
    private final Path publicKeys;

    private Operator(SigningKey key, Path publicKeys) {
        this.key = key;
        this.signer = new CommandSigner(key);
        this.publicKeys = publicKeys;
    }

    /** A new operator named {@code name}. */
    public static Operator named(String name) {
        SigningKey key = SigningKey.generateEd25519(name + "-" + UUID.randomUUID(), name, KeySetRole.OPERATORS);
        try {
            Path file = Files.createTempFile("operators-", ".jwks.json");
            file.toFile().deleteOnExit();
            Files.writeString(file, key.publicJwkSetJson());
            return new Operator(key, file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String name() {
        return key.name();
    }

    public SigningKey key() {
        return key;
    }

    /** The public JWK set file with this operator's key. */
    public Path publicKeys() {
        return publicKeys;
    }

    /** A new file with this operator's private JWK set, as a console or the CLI holds it. */
    public Path privateKeyFile() {
        try {
            Path file = Files.createTempFile("operator-", ".private.jwks.json");
            file.toFile().deleteOnExit();
            Files.writeString(file, key.privateJwkSetJson());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The refresher property that trusts this operator. */
    public String property() {
        return "tokencast.admin.operator-keys-file=" + publicKeys;
    }

    /** A manual refresh in this operator's name. */
    public RefreshRequested manual(TokenKey key, boolean force, Instant at) {
        return RefreshRequested.manual(key, force, name(), at);
    }

    /** The command's record, signed. */
    public byte[] sign(RefreshRequested command) {
        return signer.sign(command);
    }

    /** The command's record acting for {@code user}, signed. */
    public byte[] sign(RefreshRequested command, String user) {
        return signer.sign(command, user);
    }
}
