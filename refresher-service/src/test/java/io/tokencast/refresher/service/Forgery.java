package io.tokencast.refresher.service;

import io.tokencast.schema.AttemptOutcome;
import io.tokencast.schema.EventCodec;
import io.tokencast.schema.Fingerprint;
import io.tokencast.schema.RefreshAttempted;
import io.tokencast.trust.signing.KeySetRole;
import io.tokencast.trust.signing.RecordSigner;
import io.tokencast.trust.signing.SigningKey;
import io.tokencast.trust.signing.Verdict;
import java.time.Instant;
import java.util.UUID;
import java.util.function.UnaryOperator;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The ways a writer without the refresher's private key can forge a record from a genuine one, each with the verdict
 * the refresher's readers reach.
 */
public enum Forgery {
    /** Signed with another key that claims the refresher's kid. */
    WRONG_KEY(Verdict.BAD_SIGNATURE),
    /** A genuine record with its token (and fingerprint) replaced. */
    EDITED_FIELD(Verdict.BAD_SIGNATURE),
    /** A genuine record without its signature. */
    UNSIGNED(Verdict.UNSIGNED),
    /** The refresher's genuine signature of an audit record of the same key, on this record. */
    WRONG_TYP(Verdict.WRONG_TYP),
    /** A genuine record of another key, written under this one. */
    MOVED_KEY(Verdict.KEY_MISMATCH);

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final SigningKey IMPOSTOR =
            SigningKey.generateEd25519(TestSigning.key().kid(), null, KeySetRole.REFRESHER);

    private final Verdict verdict;

    Forgery(Verdict verdict) {
        this.verdict = verdict;
    }

    /** What the refresher's readers conclude about the forged record. */
    public Verdict verdict() {
        return verdict;
    }

    /**
     * The forged record for {@code recordKey}, made from {@code genuine}, a record the refresher signed for it, and
     * {@code genuineOfAnotherKey}, one it signed for another key.
     */
    public byte[] forge(String recordKey, byte[] genuine, byte[] genuineOfAnotherKey) {
        return switch (this) {
            case WRONG_KEY -> new RecordSigner(IMPOSTOR).sign(genuine);
            case EDITED_FIELD -> edit(
                    genuine,
                    tree -> tree.has("token")
                            ? tree.put("token", "forged-token").put("fingerprint", Fingerprint.of("forged-token"))
                            : tree.put("value", "forged-value").put("fingerprint", Fingerprint.of("forged-value")));
            case UNSIGNED -> edit(genuine, tree -> {
                tree.remove("signature");
                return tree;
            });
            case WRONG_TYP -> edit(genuine, tree -> tree.put("signature", auditSignature(recordKey)));
            case MOVED_KEY -> genuineOfAnotherKey.clone();
        };
    }

    private static String auditSignature(String recordKey) {
        RefreshAttempted audit = new RefreshAttempted(
                UUID.randomUUID(),
                recordKey,
                AttemptOutcome.REFRESHED,
                1L,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                "test",
                Instant.parse("2026-01-01T00:00:00Z"),
                null);
        return new RecordSigner(TestSigning.key()).signature(EventCodec.json().encode(audit));
    }

    private static byte[] edit(byte[] json, UnaryOperator<ObjectNode> change) {
        ObjectNode tree = (ObjectNode) MAPPER.readTree(json);
        return MAPPER.writeValueAsBytes(change.apply(tree));
    }
}
