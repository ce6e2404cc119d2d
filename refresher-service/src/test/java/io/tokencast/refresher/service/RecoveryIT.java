package io.tokencast.refresher.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tokencast.refresher.leader.Leadership;
import io.tokencast.refresher.store.StoredToken;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.testkit.LocalInfrastructure;
import io.tokencast.testkit.RedisServerProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Start-up and Redis loss never cost a WeChat call the topic could answer, and versions keep growing from
 * the topic's. Uses a Redis of its own, because it flushes it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RecoveryIT {

    private RedisServerProcess redis;
    private RefresherCluster cluster;

    @BeforeAll
    void start() {
        redis = LocalInfrastructure.dedicatedRedis();
        cluster = new RefresherCluster(redis.url(), TestApp.many(0x2ec, 6), Map.of());
    }

    @AfterAll
    void stop() {
        try {
            if (cluster != null) {
                cluster.assertNoSecretsLeaked();
                cluster.close();
            }
        } finally {
            if (redis != null) {
                redis.close();
            }
        }
    }

    @Test
    @Order(1)
    void aReplicaStartingOnValidTokensFetchesNothing() {
        cluster.start("first");
        await().atMost(Duration.ofSeconds(30)).until(() -> allAtVersion(1));
        assertFetchesPerApp(1);
        cluster.stop("first");
        cluster.clock.advance(Duration.ofMinutes(20));

        cluster.start("second");

        await().atMost(Duration.ofSeconds(10))
                .until(() -> cluster.context("second").getBean(Leadership.class).isLeader());
        assertFetchesPerApp(1);
        assertThat(cluster.topics.tokens(cluster.tokensTopic)).hasSize(cluster.apps.size());
    }

    @Test
    @Order(2)
    void restoresFlushedRedisFromTheTopicWithoutFetchingAndContinuesItsVersions() {
        Map<TokenKey, TokenRefreshed> onTopic = cluster.latest();
        flushRedis();

        await().atMost(Duration.ofSeconds(20)).until(() -> cluster.stored().values().stream()
                .allMatch(s -> s.token() != null
                        && s.token().fingerprint().equals(onTopic.get(s.key()).fingerprint())));
        assertFetchesPerApp(1);
        assertThat(cluster.stored().values())
                .allSatisfy(s -> assertThat(s.version()).isEqualTo(1));

        Instant allDue = onTopic.values().stream()
                .map(TokenRefreshed::nextRefreshAt)
                .max(Comparator.naturalOrder())
                .orElseThrow();
        cluster.clock.set(allDue.plusSeconds(1));

        await().atMost(Duration.ofSeconds(30)).until(() -> allAtVersion(2));
        assertFetchesPerApp(2);
        List<TokenRefreshed> tokens = cluster.topics.tokens(cluster.tokensTopic);
        for (TestApp app : cluster.apps) {
            assertThat(Topics.versions(tokens, app.key())).as(app.appid()).containsExactly(1L, 2L);
        }
    }

    private void flushRedis() {
        RedisConnectionFactory factory = cluster.context("second").getBean(RedisConnectionFactory.class);
        try (RedisConnection connection = factory.getConnection()) {
            connection.serverCommands().flushAll();
        }
    }

    private boolean allAtVersion(long version) {
        return cluster.stored().values().stream().map(StoredToken::version).allMatch(v -> v == version);
    }

    private void assertFetchesPerApp(long fetches) {
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(10)).until(() -> cluster.apps.stream()
                .allMatch(app -> cluster.sandbox.calls(app.appid(), app.endpoint()) == fetches));
    }
}
