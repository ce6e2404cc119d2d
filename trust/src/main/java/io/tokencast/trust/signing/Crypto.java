package io.tokencast.trust.signing;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The provider every signature goes through, chosen for speed (docs/security.md, "Verification cost"): the
 * JDK 17 providers take 0.75 to 1.3 ms per Ed25519 or ES256 verification, BouncyCastle about a tenth of that,
 * and it is pure Java, so it loads everywhere. Ed25519 uses BouncyCastle's own API directly over the JWS
 * signing input (Nimbus would route Ed25519 through Tink); ES256 uses Nimbus with BouncyCastle as its JCA
 * provider. The provider is private to tokencast: it is never installed in the JVM's provider list.
 */
final class Crypto {

    static final Provider PROVIDER = new BouncyCastleProvider();

    private Crypto() {}

    /** Names the provider in use, for health details and benchmark rows. */
    static String description() {
        return "BouncyCastle " + PROVIDER.getVersionStr()
                + " (Ed25519 via its lightweight API, ES256 via Nimbus on its JCA provider)";
    }
}
