package io.tokencast.trust.signing;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One public key set a reader verifies with: the refresher's (tokens, credentials, audit) or the
 * operators' (commands, each key with a {@code name}). Holds public keys only; immutable and thread-safe.
 */
public final class VerificationKeys {

    /** A key ready to verify. */
    record TrustedKey(String kid, String name, Algorithm algorithm, Algorithm.Verifier verifier) {}

    private final KeySetRole role;
    private final Map<String, TrustedKey> keys;

    private VerificationKeys(KeySetRole role, List<JwkSets.Entry> entries, String what) {
        this.role = Objects.requireNonNull(role, "role");
        Map<String, TrustedKey> keys = new LinkedHashMap<>();
        for (JwkSets.Entry entry : entries) {
            if (entry.jwk().isPrivate()) {
                throw new IllegalArgumentException("key '" + entry.jwk().getKeyID() + "' in " + what
                        + " holds private key material (\"d\"); readers need the public set only"
                        + " (tokencast keys generate writes both files)");
            }
            String kid = entry.jwk().getKeyID();
            keys.put(
                    kid,
                    new TrustedKey(
                            kid,
                            entry.name(),
                            entry.algorithm(),
                            entry.algorithm().verifier(entry.jwk())));
        }
        this.keys = Map.copyOf(keys);
    }

    /** The keys of a public JWK set's JSON text. */
    public static VerificationKeys parse(String jwkSetJson, KeySetRole role) {
        String what = "the " + role.name().toLowerCase() + " JWK set";
        return new VerificationKeys(role, JwkSets.parse(jwkSetJson, role, what), what);
    }

    /** The keys of a public JWK set file. */
    public static VerificationKeys load(Path file, KeySetRole role) {
        String what = "the " + role.name().toLowerCase() + " JWK set " + file;
        return new VerificationKeys(role, JwkSets.parse(JwkSets.read(file), role, what), what);
    }

    /** The public halves of signing keys, e.g. the refresher's own, so it verifies what it reads back. */
    public static VerificationKeys of(KeySetRole role, List<SigningKey> signingKeys) {
        if (signingKeys.isEmpty()) {
            throw new IllegalArgumentException("a key set needs at least one key");
        }
        for (SigningKey key : signingKeys) {
            if (key.role() != role) {
                throw new IllegalArgumentException("key '" + key.kid() + "' belongs to the " + key.role()
                        + " set, not the " + role + " set: the two are never mixed");
            }
        }
        return parse(JwkSets.write(signingKeys.stream().map(SigningKey::entry).toList(), false), role);
    }

    public KeySetRole role() {
        return role;
    }

    /** The key ids in this set. */
    public Set<String> kids() {
        return keys.keySet();
    }

    TrustedKey key(String kid) {
        return keys.get(kid);
    }

    @Override
    public String toString() {
        return "VerificationKeys[" + role + ", kids=" + keys.keySet() + "]";
    }
}
