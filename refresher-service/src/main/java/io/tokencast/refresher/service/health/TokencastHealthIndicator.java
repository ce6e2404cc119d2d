package io.tokencast.refresher.service.health;

import io.tokencast.refresher.leader.Leadership;
import io.tokencast.refresher.store.StoredToken;
import io.tokencast.refresher.store.TokenStore;
import io.tokencast.schema.TokenKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * The {@code tokencast} health indicator: Redis and Kafka reachable, who leads, and DOWN when any key's
 * token has expired. Details name keys only.
 */
final class TokencastHealthIndicator implements HealthIndicator {

    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(5);

    private final RedisConnectionFactory redis;
    private final Admin kafka;
    private final TokenStore store;
    private final Leadership leadership;
    private final Supplier<List<TokenKey>> keys;
    private final Clock clock;
    private final String instanceId;

    TokencastHealthIndicator(
            RedisConnectionFactory redis,
            Admin kafka,
            TokenStore store,
            Leadership leadership,
            Supplier<List<TokenKey>> keys,
            Clock clock,
            String instanceId) {
        this.redis = redis;
        this.kafka = kafka;
        this.store = store;
        this.leadership = leadership;
        this.keys = keys;
        this.clock = clock;
        this.instanceId = instanceId;
    }

    @Override
    public Health health() {
        Health.Builder health =
                Health.up().withDetail("instance", instanceId).withDetail("leading", leadership.isLeader());
        boolean up = checkKafka(health);
        try (RedisConnection connection = redis.getConnection()) {
            connection.ping();
            health.withDetail("redis", "UP");
        } catch (RuntimeException e) {
            return health.down()
                    .withDetail("redis", "DOWN: " + e.getClass().getSimpleName())
                    .build();
        }
        health.withDetail("leader", leadership.leaderId().orElse("none"));
        up &= checkTokens(health);
        return (up ? health.up() : health.down()).build();
    }

    private boolean checkKafka(Health.Builder health) {
        try {
            int nodes = kafka.describeCluster()
                    .nodes()
                    .get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .size();
            health.withDetail("kafka", "UP").withDetail("kafkaNodes", nodes);
            return true;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            health.withDetail("kafka", "DOWN: " + e.getClass().getSimpleName());
            return false;
        }
    }

    private boolean checkTokens(Health.Builder health) {
        Instant now = clock.instant();
        List<String> expired = new ArrayList<>();
        List<String> neverFetched = new ArrayList<>();
        List<String> alerts = new ArrayList<>();
        for (StoredToken stored : store.readAll(keys.get()).values()) {
            String key = stored.key().asString();
            if (stored.version() == 0) {
                neverFetched.add(key);
            } else if (!stored.validAt(now)) {
                expired.add(key);
            }
            if (stored.retry() != null && stored.retry().stopped()) {
                alerts.add(key);
            }
        }
        health.withDetail("expired", expired)
                .withDetail("neverFetched", neverFetched)
                .withDetail("alerts", alerts);
        return expired.isEmpty();
    }
}
