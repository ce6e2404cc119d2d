package io.tokencast.refresher.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Actuator answers on the management port only; the server port serves the callback and the console. Probes
 * and Prometheus are open to whoever reaches the management port, health details and other endpoints need an
 * operator. Micrometer's Kafka client metrics cover the refresher's own clients (docs/operations.md §2): the
 * producers and the topic readers' consumers, each tagged with its client id.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ManagementPortIT {

    private final HttpClient http = HttpClient.newHttpClient();
    private final RefresherCluster cluster = new RefresherCluster(TestApp.many(0x6d67, 1));
    private String server;
    private String management;

    @BeforeAll
    void start() {
        ConfigurableApplicationContext replica = cluster.start("managed");
        server = "http://127.0.0.1:" + replica.getEnvironment().getProperty("local.server.port");
        management = "http://127.0.0.1:" + replica.getEnvironment().getProperty("local.management.port");
        assertThat(management).isNotEqualTo(server);
    }

    @AfterAll
    void stop() {
        cluster.closeAfterCheckingNoSecretsLeaked();
    }

    @Test
    void theServerPortServesNeitherActuatorNorTheConsole() throws Exception {
        assertThat(get(server + "/actuator/health", false).statusCode()).isEqualTo(404);
        assertThat(get(server + "/actuator/prometheus", false).statusCode()).isEqualTo(404);
        // nor the console or its login page: they are on the management port too
        assertThat(get(server + "/console/", false).statusCode()).isEqualTo(404);
        assertThat(get(server + "/login", false).statusCode()).isEqualTo(404);
        assertThat(get(management + "/login", false).statusCode()).isEqualTo(200);
    }

    @Test
    void probesAnswerAnonymouslyAndReadinessWaitsForALeader() throws Exception {
        assertThat(get(management + "/actuator/health/liveness", false).statusCode())
                .isEqualTo(200);
        await("ready once a leader is known")
                .atMost(Duration.ofSeconds(20))
                .until(() ->
                        get(management + "/actuator/health/readiness", false).statusCode() == 200);
        assertThat(get(management + "/actuator/health/readiness", false).body()).contains("\"status\":\"UP\"");
    }

    @Test
    void healthDetailsNeedAnOperator() throws Exception {
        await().atMost(Duration.ofSeconds(20))
                .until(() -> get(management + "/actuator/health", true).body().contains("\"leader\""));

        String anonymous = get(management + "/actuator/health", false).body();
        assertThat(anonymous)
                .contains("\"status\"")
                .doesNotContain("\"leader\"")
                .doesNotContain("\"details\"");
        assertThat(get(management + "/actuator/health/tokencast", true).body()).contains("\"instance\":\"managed\"");
    }

    @Test
    void prometheusIsOpenOtherEndpointsAreForOperators() throws Exception {
        HttpResponse<String> scrape = get(management + "/actuator/prometheus", false);
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).contains("tokencast_");

        assertThat(get(management + "/actuator/metrics", false).statusCode()).isEqualTo(401);
        assertThat(get(management + "/actuator/metrics", true).statusCode()).isEqualTo(200);
    }

    @Test
    void producersAndTopicReadersAreMeasuredWhileTheyAreOpen() {
        MeterRegistry registry = cluster.context("managed").getBean(MeterRegistry.class);

        await("the app refreshed")
                .atMost(Duration.ofSeconds(30))
                .until(() -> cluster.latest().size() == 1);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            // the event publisher, and the tails that follow the tokens and consumers topics
            assertThat(clientIds(registry, "kafka.producer.")).contains("tokencast-refresher-managed");
            assertThat(clientIds(registry, "kafka.consumer."))
                    .contains("tokencast-replay-managed", "tokencast-fleet-managed");
        });
    }

    private static List<String> clientIds(MeterRegistry registry, String prefix) {
        return registry.getMeters().stream()
                .filter(meter -> meter.getId().getName().startsWith(prefix))
                .map(meter -> meter.getId().getTag("client.id"))
                .filter(Objects::nonNull)
                .distinct()
                .toList();
    }

    private HttpResponse<String> get(String url, boolean operator) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (operator) {
            TestOperator.authenticated(request);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
