package io.tokencast.consumer.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tokencast.testkit.signing.TestRefresherKey;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.MetricsReporter;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The view's Kafka clients inherit spring.kafka.security.*, spring.kafka.ssl.* and spring.kafka.properties.*, as
 * a Spring Boot application's own clients do, with tokencast.consumer.properties.* overriding. What the clients
 * were really configured with is read from inside them: a metrics reporter is handed every client's config.
 */
class SpringKafkaSettingsTest {

    /** Kafka instantiates it in every client it names, and passes it that client's whole configuration. */
    public static final class RecordingReporter implements MetricsReporter {

        static final List<Map<String, Object>> CONFIGS = new CopyOnWriteArrayList<>();

        @Override
        public void configure(Map<String, ?> configs) {
            CONFIGS.add(new HashMap<String, Object>(configs));
        }

        @Override
        public void init(List<KafkaMetric> metrics) {}

        @Override
        public void metricChange(KafkaMetric metric) {}

        @Override
        public void metricRemoval(KafkaMetric metric) {}

        @Override
        public void close() {}
    }

    @Test
    void theViewsKafkaClientsGetSpringKafkasSecuritySettingsWithTokencastsOverriding() {
        RecordingReporter.CONFIGS.clear();
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(TokenConsumerAutoConfiguration.class))
                .withPropertyValues(
                        "spring.kafka.bootstrap-servers=localhost:1",
                        "spring.kafka.security.protocol=SASL_PLAINTEXT",
                        "spring.kafka.ssl.protocol=TLSv1.3",
                        "spring.kafka.ssl.key-store-type=PKCS12",
                        "spring.kafka.properties.sasl.mechanism=SCRAM-SHA-512",
                        "spring.kafka.properties.sasl.jaas.config="
                                + "org.apache.kafka.common.security.scram.ScramLoginModule required"
                                + " username=\"orders\" password=\"orders-secret\";",
                        "spring.kafka.properties.client.rack=from-spring",
                        "spring.kafka.properties.metric.reporters=" + RecordingReporter.class.getName(),
                        "tokencast.consumer.client-id=orders",
                        "tokencast.consumer.properties.client.rack=from-tokencast",
                        "tokencast.consumer.refresher-keys-file="
                                + TestRefresherKey.shared().publicJwkSetFile())
                .run(context -> {
                    // the view's consumer is created at start; its heartbeat producer soon after
                    await().atMost(Duration.ofSeconds(10)).until(() -> !RecordingReporter.CONFIGS.isEmpty());
                    assertThat(RecordingReporter.CONFIGS).allSatisfy(config -> assertThat(config)
                            .containsEntry("security.protocol", "SASL_PLAINTEXT")
                            .containsEntry("ssl.protocol", "TLSv1.3")
                            .containsEntry("ssl.keystore.type", "PKCS12")
                            .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                            .containsKey("sasl.jaas.config")
                            .containsEntry("client.rack", "from-tokencast")
                            .containsEntry("bootstrap.servers", "localhost:1"));
                    assertThat(RecordingReporter.CONFIGS)
                            .anySatisfy(config -> assertThat(config).containsEntry("client.id", "orders"));
                });
    }

    @Test
    void withoutSpringKafkaSettingsNothingIsInherited() {
        RecordingReporter.CONFIGS.clear();
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(TokenConsumerAutoConfiguration.class))
                .withPropertyValues(
                        "tokencast.consumer.bootstrap-servers=localhost:1",
                        "tokencast.consumer.properties.metric.reporters=" + RecordingReporter.class.getName(),
                        "tokencast.consumer.refresher-keys-file="
                                + TestRefresherKey.shared().publicJwkSetFile())
                .run(context -> {
                    await().atMost(Duration.ofSeconds(10)).until(() -> !RecordingReporter.CONFIGS.isEmpty());
                    assertThat(RecordingReporter.CONFIGS)
                            .allSatisfy(config -> assertThat(config).doesNotContainKey("security.protocol"));
                });
    }
}
