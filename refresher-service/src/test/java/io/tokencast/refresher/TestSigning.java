package io.tokencast.refresher;

import io.micrometer.core.instrument.MeterRegistry;
import io.tokencast.refresher.signing.RecordSigning;
import io.tokencast.refresher.signing.SigningKeyFiles;
import io.tokencast.trust.signing.KeySetRole;
import io.tokencast.trust.signing.RecordVerifier;
import io.tokencast.trust.signing.SigningKey;
import io.tokencast.trust.signing.VerificationKeys;

/**
 * One refresher signing key for every test in this JVM, written once as files the way an operator would keep
 * them: refreshers started by tests sign with it, and tests verify what they find on the topics and in Redis.
 */
public final class TestSigning {

    /** The key's files, in a temporary directory of this JVM. */
    public static final SigningKeyFiles.Generated FILES = generate();

    private static final SigningKey KEY = SigningKey.load(FILES.privateFile(), KeySetRole.REFRESHER, null);

    private TestSigning() {}

    private static SigningKeyFiles.Generated generate() {
        return SigningKeyFiles.temporary("test-refresher-1");
    }

    /** {@code tokencast.signing.key-file=<the private file>}, as a refresher's {@code key=value} property. */
    public static String keyFileProperty() {
        return "tokencast.signing.key-file=" + FILES.privateFile();
    }

    /** The private key, for tests that write records as the refresher would. */
    public static SigningKey key() {
        return KEY;
    }

    /** Verifies records against the refresher key set of the test refreshers. */
    public static RecordVerifier verifier() {
        return new RecordVerifier(VerificationKeys.load(FILES.publicFile(), KeySetRole.REFRESHER));
    }

    /** The refresher's signing side, for tests that build stores and topics by hand. */
    public static RecordSigning recordSigning(MeterRegistry meters) {
        return RecordSigning.on(KEY, VerificationKeys.of(KeySetRole.REFRESHER, java.util.List.of(KEY)), meters);
    }

    /** {@link #recordSigning(MeterRegistry)} that takes unsigned records until {@code until} on {@code clock}. */
    public static RecordSigning recordSigning(MeterRegistry meters, java.time.Clock clock, java.time.Instant until) {
        return RecordSigning.on(
                KEY, VerificationKeys.of(KeySetRole.REFRESHER, java.util.List.of(KEY)), meters, clock, until);
    }
}
