package io.tokencast.trust.signing;

import java.util.Objects;

/**
 * The result of verifying one record: the verdict and, when verified, which key signed it.
 *
 * @param kid the signing key's id when known (also on some rejections, to say which key was claimed)
 * @param signer the verified key's {@code name} (for operator keys, whom the audit credits); null unless verified
 *     or when the key has no name
 * @param detail why it was rejected, naming the rule and never a value; null when verified
 */
public record Verification(Verdict verdict, String kid, String signer, String detail) {

    public Verification {
        Objects.requireNonNull(verdict, "verdict");
    }

    static Verification verified(String kid, String signer) {
        return new Verification(Verdict.VERIFIED, kid, signer, null);
    }

    static Verification rejected(Verdict verdict, String kid, String detail) {
        return new Verification(verdict, kid, null, detail);
    }

    public boolean isVerified() {
        return verdict.isVerified();
    }
}
