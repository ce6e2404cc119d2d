package io.tokencast.testkit.signing;

import io.tokencast.schema.EventCodec;
import io.tokencast.schema.TokencastEvent;
import io.tokencast.trust.signing.KeySetRole;
import io.tokencast.trust.signing.RecordSigner;
import io.tokencast.trust.signing.SigningKey;
import io.tokencast.trust.signing.VerificationKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A refresher signing key made at test time: tests sign the records they write as the refresher would, and
 * hand readers its public half ({@link #verificationKeys()} or the JWK set file {@link #publicJwkSetFile()}).
 * {@link #shared()} is one key per JVM, so every view and every test in a run trusts the same key; a test that
 * needs a stranger's key {@linkplain #generate(String) generates} one.
 */
public final class TestRefresherKey {

    private static final class Shared {
        static final TestRefresherKey KEY = generate("test-refresher-1");
    }

    private final SigningKey key;
    private final RecordSigner signer;
    private final VerificationKeys verificationKeys;
    private Path publicFile;
    private Path privateFile;

    private TestRefresherKey(SigningKey key) {
        this.key = key;
        this.signer = new RecordSigner(key);
        this.verificationKeys = VerificationKeys.of(KeySetRole.REFRESHER, List.of(key));
    }

    /** The key every test of this JVM signs with by default. */
    public static TestRefresherKey shared() {
        return Shared.KEY;
    }

    /** A fresh Ed25519 refresher key, e.g. a forger's, which no reader trusts. */
    public static TestRefresherKey generate(String kid) {
        return new TestRefresherKey(SigningKey.generateEd25519(kid, null, KeySetRole.REFRESHER));
    }

    public SigningKey signingKey() {
        return key;
    }

    public String kid() {
        return key.kid();
    }

    /** The public half, as a reader configures it. */
    public VerificationKeys verificationKeys() {
        return verificationKeys;
    }

    /** The public JWK set, written once to a temporary file (deleted when the JVM exits). */
    public synchronized Path publicJwkSetFile() {
        if (publicFile == null) {
            publicFile = write("refresher-", ".jwks.json", key.publicJwkSetJson());
        }
        return publicFile;
    }

    /** The private JWK set, for a refresher under test; written once to a temporary file readable by its owner. */
    public synchronized Path privateJwkSetFile() {
        if (privateFile == null) {
            privateFile = write("refresher-", ".private.jwks.json", key.privateJwkSetJson());
        }
        return privateFile;
    }

    /** The event's JSON as the refresher publishes it: with a {@code signature}. */
    public byte[] sign(TokencastEvent event) {
        return signer.sign(EventCodec.json().encode(event));
    }

    /** The record's JSON with a {@code signature} over it as it is. */
    public byte[] sign(byte[] record) {
        return signer.sign(record);
    }

    private static Path write(String prefix, String suffix, String json) {
        try {
            Path file = Files.createTempFile(prefix, suffix);
            file.toFile().deleteOnExit();
            return Files.writeString(file, json, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write a test JWK set", e);
        }
    }

    @Override
    public String toString() {
        return "TestRefresherKey[kid=" + key.kid() + "]";
    }
}
