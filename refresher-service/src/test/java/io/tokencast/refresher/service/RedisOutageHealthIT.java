package io.tokencast.refresher.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tokencast.refresher.leader.Leadership;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.testkit.LocalInfrastructure;
import io.tokencast.testkit.RedisServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Redis goes away and comes back empty: the replica reports it on its health page, survives, calls WeChat
 * for nothing meanwhile, and afterwards rebuilds Redis from the tokens topic, still without a WeChat call,
 * continuing the versions. Uses a Redis of its own, because it kills it.
 */
class RedisOutageHealthIT {

    private static final String REPLICA = "replica";
    private static final Duration HEALTH_LIMIT = Duration.ofSeconds(5);

    private final HttpClient http = HttpClient.newHttpClient();
    private final RedisServerProcess redis = LocalInfrastructure.dedicatedRedis();
    /**
     * A command timeout far beyond {@link #HEALTH_LIMIT}: the health page must learn of the outage from the
     * closed connection, not by waiting for a command to time out.
     */
    private static final String COMMAND_TIMEOUT = "30s";

    private final RefresherCluster cluster = new RefresherCluster(
            redis.url(), TestApp.many(0x0d15, 4), Map.of("spring.data.redis.timeout", COMMAND_TIMEOUT));

    @AfterEach
    void stop() {
        try {
            cluster.closeAfterCheckingNoSecretsLeaked();
        } finally {
            redis.close();
        }
    }

    @Test
    void reportsTheOutageAndRebuildsRedisFromTheTopicWithoutCallingWeChat() throws Exception {
        ConfigurableApplicationContext replica = cluster.start(REPLICA);
        await().atMost(Duration.ofSeconds(30)).until(() -> allPublished(1));
        assertThat(health().getStatus()).isEqualTo(Status.UP);
        await("ready").atMost(Duration.ofSeconds(10)).until(() -> probe(replica, "readiness") == 200);
        Map<TokenKey, TokenRefreshed> beforeOutage = cluster.latest();

        redis.stop();

        long stopped = System.nanoTime();
        Health down = health();
        Duration answeredIn = Duration.ofNanos(System.nanoTime() - stopped);
        System.out.printf(
                "RedisOutageHealthIT: health answered %s in %d ms with Redis down%n",
                down.getStatus(), answeredIn.toMillis());
        assertThat(down.getStatus()).isEqualTo(Status.DOWN);
        // A probe gives up after a few seconds; a health page that hangs on Redis reports nothing.
        assertThat(answeredIn).isLessThan(HEALTH_LIMIT);
        assertThat(down.getDetails()).containsEntry("instance", REPLICA);
        assertThat(String.valueOf(down.getDetails().get("redis"))).startsWith("DOWN: ");
        HttpResponse<String> page = healthPage(replica);
        assertThat(page.statusCode()).isEqualTo(503);
        assertThat(page.body()).contains("\"redis\":\"DOWN: ");
        assertNothingSecretIn(page.body(), beforeOutage);
        // Not ready without Redis (an orchestrator stops routing callbacks here), yet alive (no restart loop).
        assertThat(probe(replica, "readiness")).isEqualTo(503);
        assertThat(probe(replica, "liveness")).isEqualTo(200);
        await("the replica lives on without calling WeChat")
                .during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(10))
                .until(() -> replica.isActive() && fetchesPerApp(1));

        redis.restart();
        long restarted = System.nanoTime();

        await("health UP again").atMost(Duration.ofSeconds(30)).until(() -> health().getStatus() == Status.UP);
        await("ready again").atMost(Duration.ofSeconds(10)).until(() -> probe(replica, "readiness") == 200);
        long up = System.nanoTime();
        await("Redis rebuilt from the topic")
                .atMost(Duration.ofSeconds(20))
                .until(() -> cluster.stored().values().stream()
                        .allMatch(s -> s.token() != null
                                && s.version() == 1
                                && s.token()
                                        .fingerprint()
                                        .equals(beforeOutage.get(s.key()).fingerprint())));
        System.out.printf(
                "RedisOutageHealthIT: after the restart, health UP in %d ms, Redis rebuilt in %d ms%n",
                (up - restarted) / 1_000_000, (System.nanoTime() - restarted) / 1_000_000);
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(10)).until(() -> fetchesPerApp(1));
        assertThat(replica.getBean(Leadership.class).isLeader()).isTrue();

        Instant allDue = beforeOutage.values().stream()
                .map(TokenRefreshed::nextRefreshAt)
                .max(Comparator.naturalOrder())
                .orElseThrow();
        cluster.clock.set(allDue.plusSeconds(1));

        await("v2 of every app").atMost(Duration.ofSeconds(20)).until(() -> allPublished(2));
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(10)).until(() -> fetchesPerApp(2));
        List<TokenRefreshed> tokens = cluster.topics.tokens(cluster.tokensTopic);
        for (TestApp app : cluster.apps) {
            assertThat(Topics.versions(tokens, app.key())).as(app.appid()).containsExactly(1L, 2L);
        }
    }

    private Health health() {
        return cluster.context(REPLICA)
                .getBean("tokencastHealthIndicator", HealthIndicator.class)
                .health();
    }

    private HttpResponse<String> healthPage(ConfigurableApplicationContext replica) throws Exception {
        String port = replica.getEnvironment().getProperty("local.management.port");
        URI uri = URI.create("http://127.0.0.1:" + port + "/actuator/health/tokencast");
        return http.send(
                TestOperator.authenticated(HttpRequest.newBuilder(uri)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The status code of a health group on the management port, asked anonymously as an orchestrator does. */
    private int probe(ConfigurableApplicationContext replica, String group) throws Exception {
        String port = replica.getEnvironment().getProperty("local.management.port");
        URI uri = URI.create("http://127.0.0.1:" + port + "/actuator/health/" + group);
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private void assertNothingSecretIn(String body, Map<TokenKey, TokenRefreshed> tokens) {
        List<String> secrets = new ArrayList<>();
        cluster.apps.forEach(app -> secrets.add(app.secret()));
        tokens.values().forEach(t -> secrets.add(t.token()));
        secrets.forEach(secret -> assertThat(body).doesNotContain(secret));
    }

    private boolean allPublished(long version) {
        Map<TokenKey, TokenRefreshed> latest = cluster.latest();
        return cluster.apps.stream()
                .allMatch(app ->
                        latest.containsKey(app.key()) && latest.get(app.key()).version() == version);
    }

    private boolean fetchesPerApp(long fetches) {
        return cluster.apps.stream().allMatch(app -> cluster.sandbox.calls(app.appid(), app.endpoint()) == fetches);
    }
}
