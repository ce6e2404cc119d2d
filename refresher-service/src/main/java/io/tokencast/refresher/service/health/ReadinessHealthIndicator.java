package io.tokencast.refresher.service.health;

import io.tokencast.refresher.leader.Leadership;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * The {@code tokencastReadiness} indicator, member of the readiness group: a replica is ready to take traffic
 * (the open-platform callback, the console) when it reaches Redis and Kafka and some replica leads. Unlike the
 * {@code tokencast} indicator it does not look at the tokens: an expired token is a reason to alert, not to
 * stop routing WeChat's ticket pushes to a replica that could fix it.
 */
final class ReadinessHealthIndicator implements HealthIndicator {

    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(3);

    private final RedisConnectionFactory redis;
    private final Admin kafka;
    private final Leadership leadership;

    ReadinessHealthIndicator(RedisConnectionFactory redis, Admin kafka, Leadership leadership) {
        this.redis = redis;
        this.kafka = kafka;
        this.leadership = leadership;
    }

    @Override
    public Health health() {
        try (RedisConnection connection = redis.getConnection()) {
            connection.ping();
        } catch (RuntimeException e) {
            return Health.outOfService()
                    .withDetail("redis", "DOWN: " + e.getClass().getSimpleName())
                    .build();
        }
        try {
            kafka.describeCluster().clusterId().get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return Health.outOfService()
                    .withDetail("redis", "UP")
                    .withDetail("kafka", "DOWN: " + e.getClass().getSimpleName())
                    .build();
        }
        Health.Builder health = Health.up().withDetail("redis", "UP").withDetail("kafka", "UP");
        return leadership
                .leaderId()
                .map(leader -> health.withDetail("leader", leader).build())
                .orElseGet(() -> health.status(Status.OUT_OF_SERVICE)
                        .withDetail("leader", "none yet")
                        .build());
    }
}
