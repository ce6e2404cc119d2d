package io.tokencast.refresher.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.tokencast.schema.AttemptOutcome;
import io.tokencast.schema.RefreshAttempted;
import io.tokencast.schema.TokenRefreshed;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** WeChat errors and the quota guard: each key fails on its own, audited, alerted, retried as it should. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FailureIT {

    private final TestApp rejected = TestApp.of(0xfa1, 0, "stable");
    private final TestApp flaky = TestApp.of(0xfa1, 1, "stable");
    private final TestApp rationed = TestApp.of(0xfa1, 2, "classic");
    private final List<TestApp> healthy = List.of(TestApp.of(0xfa1, 3, "stable"), TestApp.of(0xfa1, 4, "classic"));
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private RefresherCluster cluster;
    private ConfigurableApplicationContext solo;

    @BeforeAll
    void start() {
        List<TestApp> apps = List.of(rejected, flaky, rationed, healthy.get(0), healthy.get(1));
        cluster = new RefresherCluster(
                io.tokencast.testkit.LocalInfrastructure.shared().redisUrl(),
                apps,
                Map.of("tokencast.quota.classic-daily", "1"));
        cluster.sandbox.scriptErrcode(rejected.appid(), 40125);
        cluster.sandbox.failNext(flaky.appid(), 5);
        solo = cluster.start("solo");
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.closeAfterCheckingNoSecretsLeaked();
        }
    }

    @Test
    @Order(1)
    void aRejectedSecretStopsItsKeyAfterOneAttemptAndRaisesTheAlert() {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> version(healthy.get(0)) == 1 && version(healthy.get(1)) == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> audit(rejected).size() == 1);

        RefreshAttempted attempt = audit(rejected).get(0);
        assertThat(attempt.outcome()).isEqualTo(AttemptOutcome.FAILED);
        assertThat(attempt.errorCode()).isEqualTo("40125");
        assertThat(alert(rejected)).isEqualTo(1.0);
        assertThat(alert(healthy.get(0))).isEqualTo(0.0);

        cluster.clock.advance(Duration.ofMinutes(30));
        await().during(Duration.ofMillis(600))
                .atMost(Duration.ofSeconds(5))
                .until(() -> cluster.sandbox.calls(rejected.appid(), rejected.endpoint()) == 1);
        assertThat(audit(rejected)).hasSize(1);
        JsonNode health = health();
        assertThat(health.path("status").asString()).isEqualTo("UP");
        assertThat(health.path("details").path("alerts").toString()).isEqualTo("[\"" + rejected.key() + "\"]");
        assertThat(health.path("details").path("leader").asString()).isEqualTo("solo");
    }

    @Test
    @Order(2)
    void aBusyWeChatIsRetriedWithBackoffUntilItAnswers() {
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(150))
                .until(() -> {
                    if (version(flaky) == 1) {
                        return true;
                    }
                    cluster.clock.advance(Duration.ofSeconds(4));
                    return false;
                });

        assertThat(cluster.sandbox.calls(flaky.appid(), flaky.endpoint())).isEqualTo(6);
        List<RefreshAttempted> attempts = audit(flaky);
        assertThat(attempts).hasSize(6);
        assertThat(attempts.subList(0, 5)).allSatisfy(a -> {
            assertThat(a.outcome()).isEqualTo(AttemptOutcome.FAILED);
            assertThat(a.errorCode()).isEqualTo("-1");
        });
        assertThat(attempts.get(5).outcome()).isEqualTo(AttemptOutcome.REFRESHED);
        assertThat(attempts.get(5).version()).isEqualTo(1L);
        assertThat(alert(flaky)).isEqualTo(0.0);
    }

    @Test
    @Order(3)
    void aSpentQuotaRefusesTheFetchBeforeWeChatDoes() {
        TokenRefreshed first = cluster.latest().get(rationed.key());
        cluster.clock.set(first.nextRefreshAt().plusSeconds(1));

        await().atMost(Duration.ofSeconds(10))
                .until(() -> audit(rationed).stream().anyMatch(a -> a.outcome() == AttemptOutcome.FAILED));

        RefreshAttempted refused = audit(rationed).stream()
                .filter(a -> a.outcome() == AttemptOutcome.FAILED)
                .findFirst()
                .orElseThrow();
        assertThat(refused.errorCode()).isEqualTo("QUOTA_EXHAUSTED");
        assertThat(cluster.sandbox.calls(rationed.appid(), rationed.endpoint())).isEqualTo(1);
        assertThat(alert(rationed)).isEqualTo(1.0);
        assertThat(quota("tokencast.quota.used", rationed)).isEqualTo(1.0);
        assertThat(quota("tokencast.quota.remaining", rationed)).isEqualTo(0.0);
        double stableUsed = quota("tokencast.quota.used", healthy.get(0));
        assertThat(stableUsed).isGreaterThanOrEqualTo(1.0);
        assertThat(quota("tokencast.quota.remaining", healthy.get(0))).isEqualTo(500_000 - stableUsed);
        assertThat(version(rationed)).isEqualTo(1);
        assertThat(health().path("status").asString()).isEqualTo("UP");

        cluster.clock.set(first.expiresAt().plusSeconds(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> health().path("details")
                .path("expired")
                .toString()
                .contains(rationed.key().asString()));
        assertThat(health().path("status").asString()).isEqualTo("DOWN");
    }

    private long version(TestApp app) {
        return cluster.stored().get(app.key()).version();
    }

    private List<RefreshAttempted> audit(TestApp app) {
        return cluster.topics.audit(cluster.auditTopic).stream()
                .filter(a -> a.tokenKey().equals(app.key().asString()))
                .toList();
    }

    private double alert(TestApp app) {
        return gauge("tokencast.refresh.alert", app.key().asString());
    }

    private double quota(String name, TestApp app) {
        return gauge(name, app.key().asString(), "mode", "normal");
    }

    @Test
    @Order(4)
    void kafkaClientsReportTheirOwnMetrics() {
        MeterRegistry registry = solo.getBean(MeterRegistry.class);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(registry.find("kafka.producer.record.send.total").meters())
                    .as("the tokens-and-audit producer")
                    .anySatisfy(meter ->
                            assertThat(meter.getId().getTag("client.id")).startsWith("tokencast-refresher-"));
            assertThat(registry.find("kafka.consumer.fetch.manager.records.consumed.total")
                            .meters())
                    .as("the admin listener's consumer")
                    .isNotEmpty();
        });
    }

    private double gauge(String name, String key, String... moreTags) {
        return solo.getBean(MeterRegistry.class)
                .get(name)
                .tag("key", key)
                .tags(moreTags)
                .gauge()
                .value();
    }

    private JsonNode health() {
        String port = solo.getEnvironment().getProperty("local.management.port");
        try {
            return JSON.readTree(HttpClient.newHttpClient()
                    .send(
                            TestOperator.authenticated(HttpRequest.newBuilder(
                                            URI.create("http://127.0.0.1:" + port + "/actuator/health/tokencast")))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
