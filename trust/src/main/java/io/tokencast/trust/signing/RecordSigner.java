package io.tokencast.trust.signing;

import java.util.Base64;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Adds a {@code signature} to records: a detached compact JWS over the JCS form of the record without it
 * (docs/security.md, "Signatures"). A key signs only the record types of its own set. Thread-safe.
 */
public final class RecordSigner {

    private final SigningKey key;

    public RecordSigner(SigningKey key) {
        this.key = Objects.requireNonNull(key, "key");
    }

    public SigningKey key() {
        return key;
    }

    /** The record's JSON with a fresh {@code signature} member (one already there is replaced). */
    public byte[] sign(byte[] record) {
        ObjectNode tree = parse(record);
        tree.put("signature", signature(tree));
        return StrictJson.MAPPER.writeValueAsBytes(tree);
    }

    /** The detached JWS alone, {@code <header>..<signature>}, for the record as given (minus any signature). */
    public String signature(byte[] record) {
        return signature(parse(record));
    }

    private ObjectNode parse(byte[] record) {
        try {
            return StrictJson.object(record, "the record to sign");
        } catch (RejectedException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    private String signature(ObjectNode tree) {
        tree.remove("signature");
        JsonNode typeNode = tree.get("type");
        SignedType type = typeNode != null && typeNode.isString() ? SignedType.of(typeNode.asString()) : null;
        if (type == null) {
            throw new IllegalArgumentException("records of type " + typeNode + " are not signed");
        }
        if (type.signedBy() != key.role()) {
            throw new IllegalArgumentException("a " + type.recordType() + " is signed with a " + type.signedBy()
                    + " key, not with " + key + ": the two sets are never mixed");
        }
        String header = new JwsHeader(key.algorithm(), key.kid(), type.typ()).encode();
        byte[] signature = key.sign(RecordVerifier.signingInput(header, StrictJson.canonical(tree)));
        return header + ".." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
    }
}
