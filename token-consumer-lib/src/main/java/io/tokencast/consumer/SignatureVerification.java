package io.tokencast.consumer;

import io.tokencast.trust.signing.RecordVerifier;
import java.util.Objects;
import java.util.Set;

/**
 * How a view makes sure its tokens come from the refresher (docs/security.md §4): each {@code TokenRefreshed}
 * is verified against the refresher's public JWK set before it can replace anything, or, where that was turned
 * off explicitly, not at all.
 *
 * @param enabled whether records are verified
 * @param kids the refresher key ids trusted; empty when off
 * @param provider the crypto provider signatures are verified with; empty when off
 */
public record SignatureVerification(boolean enabled, Set<String> kids, String provider) {

    public SignatureVerification {
        kids = Set.copyOf(kids);
        Objects.requireNonNull(provider, "provider");
    }

    /** What {@code verifier} checks against; off when it is null. */
    static SignatureVerification of(RecordVerifier verifier) {
        return verifier == null
                ? off()
                : new SignatureVerification(true, verifier.keys().kids(), RecordVerifier.provider());
    }

    /** No verification: whoever can write to the tokens topic can hand the view a token. */
    public static SignatureVerification off() {
        return new SignatureVerification(false, Set.of(), "");
    }

    /** {@code ON} or {@code OFF}, as health details show it. */
    public String state() {
        return enabled ? "ON" : "OFF";
    }
}
