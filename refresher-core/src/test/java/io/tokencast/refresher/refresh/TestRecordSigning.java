package io.tokencast.refresher.refresh;

import io.micrometer.core.instrument.MeterRegistry;
import io.tokencast.refresher.signing.RecordSigning;
import io.tokencast.testkit.signing.TestRefresherKey;
import io.tokencast.trust.signing.KeySetRole;
import io.tokencast.trust.signing.SigningKey;
import io.tokencast.trust.signing.VerificationKeys;
import java.util.List;

/** The refresher's signing side over the test JVM's shared refresher key, for engines built by hand. */
final class TestRecordSigning {

    private TestRecordSigning() {}

    static RecordSigning recordSigning(MeterRegistry meters) {
        SigningKey key = TestRefresherKey.shared().signingKey();
        return RecordSigning.on(key, VerificationKeys.of(KeySetRole.REFRESHER, List.of(key)), meters);
    }
}
