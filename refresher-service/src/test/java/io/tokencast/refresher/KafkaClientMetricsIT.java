package io.tokencast.refresher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Micrometer's Kafka client metrics for the refresher's own clients (docs/operations.md §2): the producers and
 * the topic readers' consumers, each tagged with its client id; a reader's meters leave with its consumer.
 */
class KafkaClientMetricsIT {

    private final RefresherCluster cluster = new RefresherCluster(TestApp.many(0x3e7e, 1));

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void producersAndTopicReadersAreMeasuredWhileTheyAreOpen() {
        MeterRegistry registry = cluster.start("metered").getBean(MeterRegistry.class);

        await("the app refreshed")
                .atMost(Duration.ofSeconds(30))
                .until(() -> cluster.latest().size() == 1);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            // the event publisher, and the tails that follow the tokens and consumers topics
            assertThat(clientIds(registry, "kafka.producer.")).contains("tokencast-refresher-metered");
            assertThat(clientIds(registry, "kafka.consumer."))
                    .contains("tokencast-replay-metered", "tokencast-fleet-metered");
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
}
