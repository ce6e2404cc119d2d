package io.tokencast.refresher.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.tokencast.refresher.service.signing.SigningKeyFiles;
import io.tokencast.refresher.signing.RecordSigning;
import io.tokencast.testkit.signing.TestRefresherKey;
import io.tokencast.trust.signing.KeySetRole;
import io.tokencast.trust.signing.RecordVerifier;
import io.tokencast.trust.signing.SigningKey;
import io.tokencast.trust.signing.VerificationKeys;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The refresher signing key of this test JVM ({@link TestRefresherKey#shared()}, the one consumer views in tests
 * trust too), as the files an operator would keep: refreshers started by tests sign with it, and tests verify
 * what they find on the topics and in Redis.
 */
public final class TestSigning {

    private static final TestRefresherKey SHARED = TestRefresherKey.shared();

    /** The key's files, in a temporary directory of this JVM. */
    public static final SigningKeyFiles.Generated FILES =
            new SigningKeyFiles.Generated(SHARED.privateJwkSetFile(), SHARED.publicJwkSetFile(), SHARED.kid());

    private TestSigning() {}

    /** {@code tokencast.signing.key-file=<the private file>}, as a refresher's {@code key=value} property. */
    public static String keyFileProperty() {
        return "tokencast.signing.key-file=" + FILES.privateFile();
    }

    /** The private key, for tests that write records as the refresher would. */
    public static SigningKey key() {
        return SHARED.signingKey();
    }

    /** The public refresher set, as a reader (a consumer view) configures it. */
    public static VerificationKeys verificationKeys() {
        return SHARED.verificationKeys();
    }

    /** Verifies records against the refresher key set of the test refreshers. */
    public static RecordVerifier verifier() {
        return new RecordVerifier(verificationKeys());
    }

    /** The refresher's signing side, for tests that build stores and topics by hand. */
    public static RecordSigning recordSigning(MeterRegistry meters) {
        return RecordSigning.on(key(), VerificationKeys.of(KeySetRole.REFRESHER, List.of(key())), meters);
    }

    /** {@link #recordSigning(MeterRegistry)} that takes unsigned records until {@code until} on {@code clock}. */
    public static RecordSigning recordSigning(MeterRegistry meters, Clock clock, Instant until) {
        return RecordSigning.on(key(), VerificationKeys.of(KeySetRole.REFRESHER, List.of(key())), meters, clock, until);
    }
}
