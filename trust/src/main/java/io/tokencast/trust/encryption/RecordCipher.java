package io.tokencast.trust.encryption;

import static io.tokencast.trust.encryption.EncryptionException.Problem.IDENTITY_MISMATCH;
import static io.tokencast.trust.encryption.EncryptionException.Problem.MALFORMED;
import static io.tokencast.trust.encryption.EncryptionException.Problem.NOT_AUTHENTIC;
import static io.tokencast.trust.encryption.EncryptionException.Problem.NO_KEY;
import static io.tokencast.trust.encryption.EncryptionException.Problem.NO_SCOPE;
import static io.tokencast.trust.encryption.EncryptionException.Problem.UNSUPPORTED;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.DirectDecrypter;
import com.nimbusds.jose.crypto.DirectEncrypter;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * Seals credentials into, and opens them from, the contract's envelope: a compact JWE (RFC 7516) with
 * {@code alg=dir}, {@code enc=A256GCM}, the UTF-8 credential as plaintext and the protected header
 * {@code {"alg","enc","kid", <keyMember>, "version", <instantMember>}}. Compact JWE authenticates the
 * protected header as AES-GCM's additional data, so binding the record's identity there makes a ciphertext
 * that was moved to another key or version fail {@link #open}. Thread-safe.
 */
public final class RecordCipher {

    /** Largest compact JWE accepted: a 512-character token seals to well under 1 KiB. */
    public static final int MAX_JWE_CHARS = 8 * 1024;
    /** Largest credential sealed (UTF-8 bytes). */
    public static final int MAX_PLAINTEXT_BYTES = 4 * 1024;

    private final EncryptionKeyring keyring;

    public RecordCipher(EncryptionKeyring keyring) {
        this.keyring = Objects.requireNonNull(keyring, "keyring");
    }

    public EncryptionKeyring keyring() {
        return keyring;
    }

    /**
     * Encrypts {@code plaintext} for {@code identity} under the kid of the longest scope matching its key.
     *
     * @throws EncryptionException {@link EncryptionException.Problem#NO_SCOPE} when no scope matches
     */
    public String seal(String plaintext, RecordIdentity identity) {
        String kid = keyring.writeKid(identity.key())
                .orElseThrow(() -> new EncryptionException(
                        NO_SCOPE,
                        "no encryption scope matches " + identity.key() + ": add a pattern for it (or a * scope)"
                                + " to the refresher's keyring"));
        return seal(plaintext, identity, kid);
    }

    /** Encrypts {@code plaintext} for {@code identity} under {@code kid}, which this keyring must hold. */
    public String seal(String plaintext, RecordIdentity identity, String kid) {
        Objects.requireNonNull(plaintext, "plaintext");
        byte[] bytes = plaintext.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_PLAINTEXT_BYTES) {
            throw new EncryptionException(
                    MALFORMED,
                    "the credential of " + identity.describe() + " is " + bytes.length + " bytes; at most "
                            + MAX_PLAINTEXT_BYTES + " are sealed");
        }
        if (!keyring.holds(kid)) {
            throw new EncryptionException(NO_KEY, "cannot seal " + identity.describe() + ": no key " + kid);
        }
        JWEHeader header = new JWEHeader.Builder(JWEAlgorithm.DIR, EncryptionMethod.A256GCM)
                .keyID(kid)
                .customParam(identity.keyMember(), identity.key())
                .customParam("version", identity.version())
                .customParam(identity.instantMember(), identity.instant().toString())
                .build();
        JWEObject jwe = new JWEObject(header, new Payload(bytes));
        try {
            jwe.encrypt(new DirectEncrypter(keyring.secretKey(kid)));
        } catch (JOSEException e) {
            throw new IllegalStateException("AES-256-GCM is unavailable in this JVM", e);
        }
        return jwe.serialize();
    }

    /**
     * Decrypts {@code compactJwe} if its protected header names exactly {@code identity}, and returns the
     * credential.
     *
     * @throws EncryptionException whose problem says why not: {@code NO_KEY} (no key for the kid, or the key
     *     outside this keyring's scopes), {@code IDENTITY_MISMATCH}, {@code MALFORMED}, {@code UNSUPPORTED},
     *     {@code NOT_AUTHENTIC}
     */
    public String open(String compactJwe, RecordIdentity identity) {
        JWEObject jwe = parse(compactJwe, identity);
        JWEHeader header = jwe.getHeader();
        checkAlgorithms(header, identity);
        String kid = header.getKeyID();
        if (kid == null) {
            throw new EncryptionException(MALFORMED, "the envelope of " + identity.describe() + " names no kid");
        }
        checkIdentity(header, identity);
        if (!keyring.scopes().isEmpty() && !keyring.covers(identity.key())) {
            throw new EncryptionException(
                    NO_KEY, "no key for this scope: " + identity.key() + " lies outside this service's scopes");
        }
        if (!keyring.holds(kid)) {
            throw new EncryptionException(
                    NO_KEY,
                    "no key for this scope: " + identity.describe() + " is encrypted under kid " + kid
                            + ", which this keyring does not hold");
        }
        try {
            jwe.decrypt(new DirectDecrypter(keyring.secretKey(kid)));
        } catch (JOSEException e) {
            throw new EncryptionException(
                    NOT_AUTHENTIC,
                    "the envelope of " + identity.describe() + " does not authenticate under kid " + kid
                            + ": tampered, or sealed with another key of that kid");
        }
        return new String(jwe.getPayload().toBytes(), StandardCharsets.UTF_8);
    }

    /**
     * The kid a compact JWE's protected header names, without decrypting: for audits and for finding which
     * kids retained records still use.
     *
     * @throws EncryptionException {@code MALFORMED} when it is not a compact JWE with a kid
     */
    public static String kidOf(String compactJwe) {
        RecordIdentity unknown = RecordIdentity.token("?", 1, Instant.EPOCH);
        String kid = parse(compactJwe, unknown).getHeader().getKeyID();
        if (kid == null) {
            throw new EncryptionException(MALFORMED, "the envelope names no kid");
        }
        return kid;
    }

    private static JWEObject parse(String compactJwe, RecordIdentity identity) {
        if (compactJwe == null || compactJwe.isEmpty()) {
            throw new EncryptionException(MALFORMED, "the envelope of " + identity.describe() + " is empty");
        }
        if (compactJwe.length() > MAX_JWE_CHARS) {
            throw new EncryptionException(
                    MALFORMED,
                    "the envelope of " + identity.describe() + " is " + compactJwe.length() + " characters; the limit"
                            + " is " + MAX_JWE_CHARS);
        }
        try {
            return JWEObject.parse(compactJwe);
        } catch (ParseException e) {
            throw new EncryptionException(
                    MALFORMED, "the envelope of " + identity.describe() + " is not a compact JWE with a valid header");
        }
    }

    private static void checkAlgorithms(JWEHeader header, RecordIdentity identity) {
        if (!JWEAlgorithm.DIR.equals(header.getAlgorithm())
                || !EncryptionMethod.A256GCM.equals(header.getEncryptionMethod())) {
            throw new EncryptionException(
                    UNSUPPORTED,
                    "the envelope of " + identity.describe() + " uses alg=" + header.getAlgorithm() + " enc="
                            + header.getEncryptionMethod() + "; tokencast accepts dir with A256GCM only");
        }
        // Compression before encryption leaks length and invites decompression bombs; the contract has none.
        if (header.getCompressionAlgorithm() != null) {
            throw new EncryptionException(
                    UNSUPPORTED, "the envelope of " + identity.describe() + " is compressed (zip); tokencast never is");
        }
    }

    private static void checkIdentity(JWEHeader header, RecordIdentity identity) {
        Object key = header.getCustomParam(identity.keyMember());
        Object version = header.getCustomParam("version");
        Object instant = header.getCustomParam(identity.instantMember());
        if (!identity.key().equals(key)) {
            throw mismatch(identity, identity.keyMember() + " " + describe(key));
        }
        if (!(version instanceof Long || version instanceof Integer)
                || ((Number) version).longValue() != identity.version()) {
            throw mismatch(identity, "version " + describe(version));
        }
        if (!(instant instanceof String text) || !sameInstant(text, identity.instant())) {
            throw mismatch(identity, identity.instantMember() + " " + describe(instant));
        }
    }

    private static boolean sameInstant(String text, Instant expected) {
        try {
            return Instant.parse(text).equals(expected);
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static EncryptionException mismatch(RecordIdentity identity, String found) {
        return new EncryptionException(
                IDENTITY_MISMATCH,
                "the envelope of " + identity.describe() + " was sealed for another record (its header has " + found
                        + "): refused, a ciphertext must not move between keys or versions");
    }

    private static String describe(Object value) {
        if (value == null) {
            return "missing";
        }
        String text = String.valueOf(value);
        return ScopePattern.printable(text);
    }
}
