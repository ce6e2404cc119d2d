package io.tokencast.trust.signing;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The record types that carry a {@code signature}, each with the JWS {@code typ} that names it and the member
 * that must equal the record's Kafka key (docs/security.md, "Signatures").
 */
public enum SignedType {
    TOKEN_REFRESHED("TokenRefreshed", "tokencast-token+jws", KeySetRole.REFRESHER, "tokenKey"),
    TOKEN_RETIRED("TokenRetired", "tokencast-retired+jws", KeySetRole.REFRESHER, "tokenKey", "credentialKey"),
    CREDENTIAL_STORED("CredentialStored", "tokencast-credential+jws", KeySetRole.REFRESHER, "credentialKey"),
    REFRESH_ATTEMPTED("RefreshAttempted", "tokencast-audit+jws", KeySetRole.REFRESHER, "tokenKey"),
    REFRESH_REQUESTED("RefreshRequested", "tokencast-command+jws", KeySetRole.OPERATORS, "tokenKey");

    private static final Map<String, SignedType> BY_TYPE =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(SignedType::recordType, Function.identity()));

    private final String recordType;
    private final String typ;
    private final KeySetRole signedBy;
    private final String[] keyMembers;

    SignedType(String recordType, String typ, KeySetRole signedBy, String... keyMembers) {
        this.recordType = recordType;
        this.typ = typ;
        this.signedBy = signedBy;
        this.keyMembers = keyMembers;
    }

    /** The record's {@code type} member, e.g. {@code TokenRefreshed}. */
    public String recordType() {
        return recordType;
    }

    /** The JWS protected header's {@code typ}, e.g. {@code tokencast-token+jws}. */
    public String typ() {
        return typ;
    }

    /** The key set whose keys sign this type: the two sets are never mixed. */
    public KeySetRole signedBy() {
        return signedBy;
    }

    /** The members that may hold the record key (the first present one must equal it). */
    String[] keyMembers() {
        return keyMembers.clone();
    }

    /** The signed type of a record's {@code type}, or null when records of that type are never signed. */
    public static SignedType of(String recordType) {
        return recordType == null ? null : BY_TYPE.get(recordType);
    }
}
