package io.tokencast.trust.signing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/**
 * A private key that signs records: a refresher key (tokens, credentials, audit) or an operator key
 * (commands; its {@code name} is who the audit credits). Its {@code toString} never shows key material.
 */
public final class SigningKey {

    private final JwkSets.Entry entry;
    private final KeySetRole role;
    private final Algorithm.Signer signer;

    private SigningKey(JwkSets.Entry entry, KeySetRole role) {
        if (!entry.jwk().isPrivate()) {
            throw new IllegalArgumentException(
                    "key '" + entry.jwk().getKeyID() + "' has no private part (\"d\"); signing needs the private JWK");
        }
        this.entry = entry;
        this.role = Objects.requireNonNull(role, "role");
        this.signer = entry.algorithm().signer(entry.jwk());
    }

    /**
     * The key {@code kid} of a private JWK set (or a single private JWK) in JSON; with {@code kid} null the set
     * must hold exactly one key.
     */
    public static SigningKey parse(String json, KeySetRole role, String kid) {
        return pick(JwkSets.parse(json, role, "the private " + role.name().toLowerCase() + " JWK set"), role, kid);
    }

    /** {@link #parse} for a file. */
    public static SigningKey load(Path file, KeySetRole role, String kid) {
        return pick(
                JwkSets.parse(
                        JwkSets.read(file), role, "the private " + role.name().toLowerCase() + " JWK set " + file),
                role,
                kid);
    }

    private static SigningKey pick(List<JwkSets.Entry> entries, KeySetRole role, String kid) {
        if (kid == null) {
            if (entries.size() != 1) {
                throw new IllegalArgumentException(
                        "the private JWK set holds " + entries.size() + " keys; name the one to sign with by its kid");
            }
            return new SigningKey(entries.get(0), role);
        }
        return entries.stream()
                .filter(e -> kid.equals(e.jwk().getKeyID()))
                .findFirst()
                .map(e -> new SigningKey(e, role))
                .orElseThrow(
                        () -> new IllegalArgumentException("the private JWK set has no key with kid '" + kid + "'"));
    }

    /** A new Ed25519 key; {@code name} is required for operator keys and optional otherwise. */
    public static SigningKey generateEd25519(String kid, String name, KeySetRole role) {
        Ed25519PrivateKeyParameters d = new Ed25519PrivateKeyParameters(new SecureRandom());
        JWK jwk = new OctetKeyPair.Builder(
                        Curve.Ed25519, Base64URL.encode(d.generatePublicKey().getEncoded()))
                .d(Base64URL.encode(d.getEncoded()))
                .keyID(kid)
                .build();
        return fromJwk(jwk, name, role);
    }

    /** A new P-256 (ES256) key. */
    public static SigningKey generateEs256(String kid, String name, KeySetRole role) {
        try {
            return fromJwk(new ECKeyGenerator(Curve.P_256).keyID(kid).generate(), name, role);
        } catch (JOSEException e) {
            throw new IllegalStateException("could not generate a P-256 key", e);
        }
    }

    private static SigningKey fromJwk(JWK jwk, String name, KeySetRole role) {
        // Through the parser, so a generated key meets the rules a configured one does.
        String json = JwkSets.write(List.of(new JwkSets.Entry(jwk, name, Algorithm.of(jwk))), true);
        return parse(json, role, null);
    }

    public String kid() {
        return entry.jwk().getKeyID();
    }

    /** The key's {@code name}: for an operator key, who the audit credits; may be null for a refresher key. */
    public String name() {
        return entry.name();
    }

    public KeySetRole role() {
        return role;
    }

    /** The JWS {@code alg}: {@code EdDSA} or {@code ES256}. */
    public String algorithm() {
        return entry.algorithm().name();
    }

    /** A JWK set with this key's public half, for readers. */
    public String publicJwkSetJson() {
        return JwkSets.write(List.of(entry), false);
    }

    /** A JWK set with this key including its private part: store it readable by its owner only. */
    public String privateJwkSetJson() {
        return JwkSets.write(List.of(entry), true);
    }

    JwkSets.Entry entry() {
        return entry;
    }

    byte[] sign(byte[] signingInput) {
        return signer.sign(signingInput);
    }

    @Override
    public String toString() {
        return "SigningKey[kid=" + kid() + ", alg=" + algorithm() + ", role=" + role + "]";
    }
}
