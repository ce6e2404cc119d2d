package io.tokencast.trust.signing;

import java.io.InputStream;
import java.net.URL;
import java.security.Provider;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The provider every signature goes through, chosen for speed (docs/security.md §4): the JDK 17 providers
 * take 0.75 to 1.3 ms per Ed25519 or ES256 verification, BouncyCastle about a tenth of that, and it is pure
 * Java, so it loads everywhere. Ed25519 uses BouncyCastle's own API directly over the JWS signing input (Nimbus
 * would route Ed25519 through Tink); ES256 uses Nimbus with BouncyCastle as its JCA provider. The provider is
 * private to tokencast: it is never installed in the JVM's provider list, and it is built only when an ES256
 * key needs it, because building it takes seconds on a loaded machine and Ed25519 never does.
 */
final class Crypto {

    private static final String DESCRIPTION = "BouncyCastle " + bouncyCastleVersion()
            + " (Ed25519 via its lightweight API, ES256 via Nimbus on its JCA provider)";

    private Crypto() {}

    /** BouncyCastle's JCA provider, built on first use. */
    static Provider provider() {
        return Holder.PROVIDER;
    }

    /** Names the provider in use, for health details and benchmark rows. */
    static String description() {
        return DESCRIPTION;
    }

    private static final class Holder {
        static final Provider PROVIDER = new BouncyCastleProvider();
    }

    /** The bcprov jar's Bundle-Version, read without building the provider. */
    private static String bouncyCastleVersion() {
        try {
            URL jar = Ed25519Signer.class.getProtectionDomain().getCodeSource().getLocation();
            try (InputStream in = jar.openStream();
                    JarInputStream stream = new JarInputStream(in)) {
                Manifest manifest = stream.getManifest();
                String version =
                        manifest == null ? null : manifest.getMainAttributes().getValue("Bundle-Version");
                return version == null ? "(version unknown)" : version;
            }
        } catch (Exception e) {
            return "(version unknown)";
        }
    }
}
