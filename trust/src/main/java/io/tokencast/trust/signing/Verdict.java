package io.tokencast.trust.signing;

/** What verifying a record concluded: {@link #VERIFIED}, or the first rule it broke. */
public enum Verdict {
    VERIFIED,
    /** Not one JSON object, too large, or without a JCS form. */
    MALFORMED,
    /** A member name appears twice (checked before anything else). */
    DUPLICATE_MEMBER,
    /** The Kafka (or Redis) key differs from the record's {@code tokenKey} / {@code credentialKey}. */
    KEY_MISMATCH,
    /** The record's {@code type} is not one that is signed. */
    UNSIGNABLE_TYPE,
    /** No {@code signature} member. */
    UNSIGNED,
    /** The signature is not a detached compact JWS with a well-formed protected header. */
    BAD_HEADER,
    /** The header's {@code typ} names another record type. */
    WRONG_TYP,
    /** The header's {@code kid} is not in the key set for this record type. */
    UNKNOWN_KID,
    /** The header's {@code alg} disagrees with the key's algorithm. */
    ALG_MISMATCH,
    /** The signature does not match the record. */
    BAD_SIGNATURE;

    /** Whether the record may be trusted. */
    public boolean isVerified() {
        return this == VERIFIED;
    }
}
