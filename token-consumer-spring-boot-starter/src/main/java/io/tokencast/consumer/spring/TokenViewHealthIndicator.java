package io.tokencast.consumer.spring;

import io.tokencast.consumer.BrokerContact;
import io.tokencast.consumer.ConsumerStats;
import io.tokencast.consumer.SignatureVerification;
import io.tokencast.consumer.TokenState;
import io.tokencast.consumer.TokenView;
import io.tokencast.schema.TokenKey;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * UP once the view is ready, its reader thread is reading and every required key has a servable token; DOWN
 * otherwise. Lost broker contact is
 * a detail, not DOWN: the view still serves valid tokens, and a Kafka outage should not take every service out
 * of its load balancer.
 */
final class TokenViewHealthIndicator implements HealthIndicator {

    private final TokenView view;
    private final List<TokenKey> requiredKeys;

    TokenViewHealthIndicator(TokenView view, List<TokenKey> requiredKeys) {
        this.view = view;
        this.requiredKeys = requiredKeys;
    }

    @Override
    public Health health() {
        ConsumerStats stats = view.stats();
        // A failing reader serves what it holds but learns of no new version: not fine, whatever else is.
        boolean up = stats.ready() && stats.readerAlive();
        Map<String, String> required = new TreeMap<>();
        for (TokenKey key : requiredKeys) {
            TokenState state = view.state(key);
            required.put(key.asString(), state.name());
            // NO_KEY while an older readable version is still served: degraded, yet the service works.
            up &= state == TokenState.FRESH
                    || state == TokenState.STALE
                    || state == TokenState.NO_KEY && view.find(key).isPresent();
        }
        Health.Builder health = up ? Health.up() : Health.down();
        health.withDetail("ready", stats.ready())
                .withDetail("keys", stats.keys())
                .withDetail("recordsRead", stats.recordsRead())
                .withDetail("malformedSkipped", stats.malformedSkipped())
                .withDetail("reader", stats.readerAlive() ? "READING" : "FAILING")
                .withDetail("readerFailures", stats.readerFailures());
        SignatureVerification verification = view.signatureVerification();
        health.withDetail("signatureVerification", verification.state());
        if (verification.enabled()) {
            health.withDetail("refresherKids", new TreeSet<>(verification.kids()))
                    .withDetail("cryptoProvider", verification.provider())
                    .withDetail("verificationPending", stats.verificationPending())
                    .withDetail("signatureRejected", stats.signatureRejected());
        }
        if (!required.isEmpty()) {
            health.withDetail("requiredKeys", required);
        }
        addBrokerContact(health, view.brokerContact());
        return health.build();
    }

    private static void addBrokerContact(Health.Builder health, BrokerContact contact) {
        health.withDetail("brokerContact", contact.lost() ? "LOST" : "OK")
                .withDetail("secondsSinceBrokerContact", contact.silentFor().toSeconds());
        contact.lastContactAt().ifPresent(at -> health.withDetail("lastBrokerContactAt", at.toString()));
        contact.recordsBehind().ifPresent(behind -> health.withDetail("recordsBehind", behind));
    }
}
