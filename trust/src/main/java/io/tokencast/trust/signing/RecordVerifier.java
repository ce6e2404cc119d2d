package io.tokencast.trust.signing;

import io.tokencast.schema.Ranges;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks a record's {@code signature} against one key set, in the order docs/security.md gives: duplicate
 * member names, the record key, the type, then the detached JWS (typ, kid, alg from the key) over the JCS form
 * of the record as received minus {@code signature}. Thread-safe; never throws for bad input.
 */
public final class RecordVerifier {

    /** A detached compact JWS; the JSON Schemas of the signed types state the same pattern and cap. */
    static final Pattern DETACHED = Pattern.compile("[A-Za-z0-9_-]+\\.\\.[A-Za-z0-9_-]+");

    static final int MAX_SIGNATURE_LENGTH = Ranges.MAX_SIGNATURE_CHARS;

    private final VerificationKeys keys;

    public RecordVerifier(VerificationKeys keys) {
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    /** The key set this verifier trusts. */
    public VerificationKeys keys() {
        return keys;
    }

    /** Names the crypto provider verification runs on, for health details and benchmark rows. */
    public static String provider() {
        return Crypto.description();
    }

    /**
     * Verifies {@code record} (the exact bytes from Kafka or Redis).
     *
     * @param recordKey the Kafka record key (or the Redis key's token key) it arrived under; null only where
     *     the record has no key to compare (never for a Kafka record)
     */
    public Verification verify(byte[] record, String recordKey) {
        String kid = null;
        try {
            ObjectNode tree = StrictJson.object(record, "the record");
            JsonNode typeNode = tree.get("type");
            SignedType type = typeNode != null && typeNode.isString() ? SignedType.of(typeNode.asString()) : null;
            checkKey(tree, type, recordKey);
            if (type == null) {
                return Verification.rejected(Verdict.UNSIGNABLE_TYPE, null, "the record's type is not a signed type");
            }
            if (type.signedBy() != keys.role()) {
                return Verification.rejected(
                        Verdict.UNSIGNABLE_TYPE,
                        null,
                        "a " + type.recordType() + " is verified with the " + type.signedBy() + " set, not the "
                                + keys.role() + " set");
            }
            JsonNode signature = tree.remove("signature");
            if (signature == null || signature.isNull()) {
                return Verification.rejected(Verdict.UNSIGNED, null, "the record has no signature");
            }
            String jws = signature.isString() ? signature.asString() : "";
            if (jws.length() > MAX_SIGNATURE_LENGTH || !DETACHED.matcher(jws).matches()) {
                return Verification.rejected(
                        Verdict.BAD_HEADER, null, "the signature is not a detached compact JWS (<header>..<sig>)");
            }
            int dots = jws.indexOf("..");
            String encodedHeader = jws.substring(0, dots);
            JwsHeader header = JwsHeader.decode(encodedHeader);
            kid = header.kid();
            if (!type.typ().equals(header.typ())) {
                return Verification.rejected(
                        Verdict.WRONG_TYP,
                        kid,
                        "typ names another record type; a " + type.recordType() + " needs " + type.typ());
            }
            VerificationKeys.TrustedKey key = keys.key(kid);
            if (key == null) {
                return Verification.rejected(
                        Verdict.UNKNOWN_KID, kid, "no key with this kid in the " + keys.role() + " set");
            }
            if (!key.algorithm().name().equals(header.alg())) {
                return Verification.rejected(
                        Verdict.ALG_MISMATCH, kid, "the header's alg disagrees with the key's " + key.algorithm());
            }
            byte[] signatureBytes;
            try {
                signatureBytes = Base64.getUrlDecoder().decode(jws.substring(dots + 2));
            } catch (IllegalArgumentException e) {
                return Verification.rejected(Verdict.BAD_HEADER, kid, "the signature part is not base64url");
            }
            byte[] input = signingInput(encodedHeader, StrictJson.canonical(tree));
            if (!key.verifier().verify(input, signatureBytes)) {
                return Verification.rejected(Verdict.BAD_SIGNATURE, kid, "the signature does not match the record");
            }
            return Verification.verified(kid, key.name());
        } catch (RejectedException e) {
            return Verification.rejected(e.verdict(), kid, e.getMessage());
        }
    }

    // The Kafka key is compared before anything else is looked at: a genuine record moved under another key
    // must not even reach the signature check's error messages.
    private static void checkKey(ObjectNode tree, SignedType type, String recordKey) {
        if (recordKey == null) {
            return;
        }
        String[] members = type != null ? type.keyMembers() : new String[] {"tokenKey", "credentialKey"};
        for (String member : members) {
            JsonNode value = tree.get(member);
            if (value != null) {
                if (!value.isString() || !value.asString().equals(recordKey)) {
                    throw new RejectedException(
                            Verdict.KEY_MISMATCH, "the record key differs from the record's " + member);
                }
                return;
            }
        }
        throw new RejectedException(Verdict.KEY_MISMATCH, "the record names no key to compare with the record key");
    }

    /** {@code BASE64URL(header) '.' BASE64URL(payload)}, as ASCII bytes. */
    static byte[] signingInput(String encodedHeader, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(encodedHeader.length() + 1 + payload.length * 4 / 3 + 4);
        out.writeBytes(encodedHeader.getBytes(StandardCharsets.US_ASCII));
        out.write('.');
        out.writeBytes(Base64.getUrlEncoder().withoutPadding().encode(payload));
        return out.toByteArray();
    }
}
