package io.tokencast.trust.encryption;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.security.SecureRandom;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import javax.crypto.SecretKey;

/**
 * The encryption keys a process holds and the scopes they serve: a JWK set (RFC 7517) of 256-bit
 * {@code oct} keys, each with a {@code kid}, plus {@code scopes} mapping record-key patterns to the kid that
 * encrypts them. A writer encrypts a record with the kid of the longest pattern matching its key; a reader
 * decrypts records whose key lies in its scopes and whose kid it holds. Immutable; {@link #toString()} names
 * kids and patterns only.
 *
 * <p>The file form is the JWK set with one extra top-level member, which JWK set readers ignore:
 *
 * <pre>{@code
 * {"keys": [{"kty": "oct", "kid": "tenant-a-2026-12", "k": "…43 base64url chars…"}],
 *  "scopes": {"wechat-access-token/wx0123*": "tenant-a-2026-12", "*": "fleet-2026-12"}}
 * }</pre>
 */
public final class EncryptionKeyring {

    /** Largest keyring file accepted; a few hundred keys and thousands of scopes fit. */
    public static final int MAX_JSON_CHARS = 1024 * 1024;
    /** Most keys and most scopes a keyring holds. */
    public static final int MAX_KEYS = 1000;

    public static final int MAX_SCOPES = 10_000;

    static final int KEY_BYTES = 32;
    private static final int MAX_KID_LENGTH = 100;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, OctetSequenceKey> keys;
    private final Map<String, SecretKey> secretKeys;
    // Most specific pattern first: the first match is the longest.
    private final Map<ScopePattern, String> scopes;

    private EncryptionKeyring(Map<String, OctetSequenceKey> keys, Map<ScopePattern, String> scopes) {
        this.keys = Collections.unmodifiableMap(keys);
        Map<String, SecretKey> secrets = new LinkedHashMap<>();
        keys.forEach((kid, key) -> secrets.put(kid, key.toSecretKey("AES")));
        this.secretKeys = Collections.unmodifiableMap(secrets);
        this.scopes = Collections.unmodifiableMap(scopes);
    }

    /** A keyring with no keys and no scopes: reads nothing encrypted, writes nothing encrypted. */
    public static EncryptionKeyring empty() {
        return new EncryptionKeyring(new LinkedHashMap<>(), new TreeMap<>());
    }

    /**
     * Parses the file form (see the class comment).
     *
     * @throws InvalidKeyringException naming what is wrong: never a key's material
     */
    public static EncryptionKeyring parse(String json) {
        if (json == null || json.isBlank()) {
            throw new InvalidKeyringException("the encryption keyring is empty; expected a JWK set {\"keys\": [...]}");
        }
        if (json.length() > MAX_JSON_CHARS) {
            throw new InvalidKeyringException(
                    "the encryption keyring is " + json.length() + " characters; the limit is " + MAX_JSON_CHARS);
        }
        Map<String, Object> root;
        try {
            root = JSONObjectUtils.parse(json);
        } catch (ParseException e) {
            // Nimbus's message may quote the input, and the input holds keys: say where, not what.
            throw new InvalidKeyringException(
                    "the encryption keyring is not a JSON object (error near offset " + e.getErrorOffset() + ")");
        }
        List<JWK> jwks = new ArrayList<>();
        Object keyList = root.get("keys");
        if (!(keyList instanceof List<?> list)) {
            throw new InvalidKeyringException("the encryption keyring has no \"keys\" array; expected a JWK set");
        }
        if (list.size() > MAX_KEYS) {
            throw new InvalidKeyringException(
                    "the encryption keyring holds " + list.size() + " keys; the limit is " + MAX_KEYS);
        }
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> member)) {
                throw new InvalidKeyringException("keys[" + i + "] of the encryption keyring is not a JSON object");
            }
            try {
                @SuppressWarnings("unchecked")
                Map<String, Object> jwk = (Map<String, Object>) member;
                jwks.add(JWK.parse(jwk));
            } catch (ParseException e) {
                throw new InvalidKeyringException("keys[" + i + "] of the encryption keyring is not a valid JWK");
            }
        }
        Map<String, String> scopes = new LinkedHashMap<>();
        Object scopeMap = root.get("scopes");
        if (scopeMap != null) {
            if (!(scopeMap instanceof Map<?, ?> map)) {
                throw new InvalidKeyringException(
                        "\"scopes\" of the encryption keyring must be an object of pattern -> kid");
            }
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!(entry.getValue() instanceof String kid)) {
                    throw new InvalidKeyringException("scope '" + ScopePattern.printable(String.valueOf(entry.getKey()))
                            + "' must map to a kid (a string)");
                }
                scopes.put((String) entry.getKey(), kid);
            }
        }
        return of(new JWKSet(jwks), scopes);
    }

    /**
     * A keyring from a JWK set and scopes ({@code pattern -> kid}).
     *
     * @throws InvalidKeyringException when a key is not a 256-bit {@code oct} key with a unique kid, or a
     *     scope names a kid the set does not hold
     */
    public static EncryptionKeyring of(JWKSet set, Map<String, String> scopes) {
        Map<String, OctetSequenceKey> keys = new LinkedHashMap<>();
        for (JWK jwk : set.getKeys()) {
            String kid = jwk.getKeyID();
            if (kid == null
                    || kid.isBlank()
                    || kid.length() > MAX_KID_LENGTH
                    || !kid.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
                throw new InvalidKeyringException("every encryption key needs a kid of 1 to " + MAX_KID_LENGTH
                        + " printable characters without spaces");
            }
            if (!KeyType.OCT.equals(jwk.getKeyType())) {
                throw new InvalidKeyringException("encryption key " + kid + " has kty " + jwk.getKeyType()
                        + "; tokencast encrypts with oct (symmetric) keys only");
            }
            OctetSequenceKey oct = (OctetSequenceKey) jwk;
            if (oct.toByteArray().length != KEY_BYTES) {
                throw new InvalidKeyringException(
                        "encryption key " + kid + " is " + oct.size() + " bits; A256GCM needs exactly 256");
            }
            if (jwk.getKeyUse() != null && !KeyUse.ENCRYPTION.equals(jwk.getKeyUse())) {
                throw new InvalidKeyringException(
                        "encryption key " + kid + " has use " + jwk.getKeyUse() + "; expected enc or none");
            }
            if (jwk.getAlgorithm() != null
                    && !Set.of("dir", "A256GCM").contains(jwk.getAlgorithm().getName())) {
                throw new InvalidKeyringException("encryption key " + kid + " has alg " + jwk.getAlgorithm()
                        + "; tokencast uses dir with A256GCM");
            }
            if (keys.putIfAbsent(kid, oct) != null) {
                throw new InvalidKeyringException("encryption kid " + kid + " appears twice in the keyring");
            }
        }
        if (scopes.size() > MAX_SCOPES) {
            throw new InvalidKeyringException(
                    "the encryption keyring has " + scopes.size() + " scopes; the limit is " + MAX_SCOPES);
        }
        Map<ScopePattern, String> sorted = new TreeMap<>();
        scopes.forEach((pattern, kid) -> {
            ScopePattern scope = ScopePattern.of(pattern);
            if (!keys.containsKey(kid)) {
                throw new InvalidKeyringException("scope " + scope + " names kid " + kid
                        + ", which this keyring does not hold; add the key or fix the scope");
            }
            sorted.put(scope, kid);
        });
        return new EncryptionKeyring(keys, sorted);
    }

    /** A keyring of one freshly generated key that serves {@code patterns}: for the demo and for tests. */
    public static EncryptionKeyring generate(String kid, List<String> patterns) {
        byte[] material = new byte[KEY_BYTES];
        RANDOM.nextBytes(material);
        OctetSequenceKey key = new OctetSequenceKey.Builder(material).keyID(kid).build();
        Map<String, String> scopes = new LinkedHashMap<>();
        patterns.forEach(pattern -> scopes.put(pattern, kid));
        return of(new JWKSet(key), scopes);
    }

    /**
     * This keyring plus another's keys and scopes; the other's scope wins where both name a pattern. How a
     * new key joins (staged rotation) and how a writer is promoted.
     */
    public EncryptionKeyring with(EncryptionKeyring other) {
        Map<String, OctetSequenceKey> merged = new LinkedHashMap<>(keys);
        other.keys.forEach((kid, key) -> {
            OctetSequenceKey held = merged.putIfAbsent(kid, key);
            if (held != null && !held.equals(key)) {
                throw new InvalidKeyringException("kid " + kid + " names two different keys");
            }
        });
        Map<ScopePattern, String> scopes = new TreeMap<>(this.scopes);
        scopes.putAll(other.scopes);
        return new EncryptionKeyring(merged, scopes);
    }

    /** The kid that encrypts {@code recordKey}: that of the longest matching scope, if any. */
    public Optional<String> writeKid(String recordKey) {
        for (Map.Entry<ScopePattern, String> scope : scopes.entrySet()) {
            if (scope.getKey().matches(recordKey)) {
                return Optional.of(scope.getValue());
            }
        }
        return Optional.empty();
    }

    /** Whether {@code recordKey} lies in one of this keyring's scopes. */
    public boolean covers(String recordKey) {
        return writeKid(recordKey).isPresent();
    }

    /** Whether this keyring holds the key {@code kid}. */
    public boolean holds(String kid) {
        return kid != null && keys.containsKey(kid);
    }

    /** The kids held, in file order. */
    public Set<String> kids() {
        return keys.keySet();
    }

    /** The scopes, most specific first: pattern -> kid. */
    public Map<ScopePattern, String> scopes() {
        return scopes;
    }

    /** Whether this keyring has no keys. */
    public boolean isEmpty() {
        return keys.isEmpty();
    }

    SecretKey secretKey(String kid) {
        return secretKeys.get(kid);
    }

    /** The file form, key material included: write it only where secrets belong. */
    public String toJson() {
        List<Object> list = new ArrayList<>();
        keys.values().forEach(key -> list.add(key.toJSONObject()));
        Map<String, Object> scopeMap = new LinkedHashMap<>();
        scopes.forEach((pattern, kid) -> scopeMap.put(pattern.pattern(), kid));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("keys", list);
        root.put("scopes", scopeMap);
        return JSONObjectUtils.toJSONString(root);
    }

    /** A key's material as base64url, for tests that hand keys to another JOSE implementation. */
    Base64URL material(String kid) {
        return keys.get(kid).getKeyValue();
    }

    @Override
    public String toString() {
        return "EncryptionKeyring[kids=" + keys.keySet() + ", scopes=" + scopes + "]";
    }
}
