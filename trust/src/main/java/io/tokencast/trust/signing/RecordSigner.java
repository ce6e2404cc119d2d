package io.tokencast.trust.signing;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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

    /**
     * The record's JSON with a fresh {@code signature} member (one already there is replaced). A record without
     * one keeps its bytes: the member is added before its closing brace, so the record is not written a second
     * time; a record that had one is written again without it, the new one last.
     */
    public byte[] sign(byte[] record) {
        ObjectNode tree = parse(record);
        boolean signedBefore = tree.has("signature");
        String signature = signature(tree);
        if (signedBefore) {
            tree.put("signature", signature);
            return StrictJson.MAPPER.writeValueAsBytes(tree);
        }
        return withLastMember(record, "signature", signature);
    }

    /** {@code object}'s bytes with {@code "name":"value"} as last member; the value needs no escaping. */
    private static byte[] withLastMember(byte[] object, String name, String value) {
        int close = object.length - 1;
        while (close > 0 && object[close] != '}') {
            close--; // trailing whitespace; parse() has seen one object, so its closing brace is there
        }
        byte[] member = (",\"" + name + "\":\"" + value + "\"}").getBytes(StandardCharsets.US_ASCII);
        byte[] signed = Arrays.copyOf(object, close + member.length);
        System.arraycopy(member, 0, signed, close, member.length);
        return signed;
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
