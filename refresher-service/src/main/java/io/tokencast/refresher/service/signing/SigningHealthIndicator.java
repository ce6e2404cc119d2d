package io.tokencast.refresher.service.signing;

import io.tokencast.refresher.signing.RecordSigning;
import io.tokencast.trust.signing.RecordVerifier;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code signing} health component: whether records are signed, with which kid and algorithm, which kids the
 * refresher's readers trust, the crypto provider and how many records read back were rejected. Never a key.
 * Always UP: rejected records are an alert (a meter), not an outage.
 */
final class SigningHealthIndicator implements HealthIndicator {

    private final RecordSigning signing;

    SigningHealthIndicator(RecordSigning signing) {
        this.signing = signing;
    }

    @Override
    public Health health() {
        Health.Builder health = Health.up().withDetail("enabled", signing.enabled());
        if (signing.enabled()) {
            health.withDetail("kid", signing.kid().orElseThrow())
                    .withDetail("alg", signing.algorithm().orElseThrow())
                    .withDetail(
                            "trustedKids",
                            signing.trustedKids().stream().sorted().toList())
                    .withDetail("provider", RecordVerifier.provider());
        }
        return health.withDetail("rejectedRecords", signing.rejectedCount()).build();
    }
}
