package io.tokencast.consumer.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tokencast.consumer.Token;
import io.tokencast.consumer.TokenChangeListener;
import io.tokencast.consumer.TokenView;
import io.tokencast.schema.ConsumerHeartbeat;
import io.tokencast.schema.EventCodec;
import io.tokencast.schema.RefreshReason;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.testkit.LocalInfrastructure;
import io.tokencast.testkit.signing.TestRefresherKey;
import io.tokencast.topics.TopicReader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The starter against a real broker: health goes from DOWN to UP when the view becomes ready. */
class TokenConsumerAutoConfigurationIT {

    private final String bootstrap = LocalInfrastructure.shared().kafkaBootstrapServers();

    @Test
    void healthTurnsFromDownToUpWhenTheViewHasReadTheTopic() throws Exception {
        // given an application whose tokens topic does not exist yet
        String topic = LocalInfrastructure.uniqueName("tokens");
        TokenKey key = TokenKey.parse("wechat-access-token/wx00000000000000bb");
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(TokenConsumerAutoConfiguration.class))
                .withPropertyValues("tokencast.consumer.refresher-keys-file="
                        + TestRefresherKey.shared().publicJwkSetFile())
                .withPropertyValues(
                        "tokencast.consumer.bootstrap-servers=" + bootstrap,
                        "tokencast.consumer.topic=" + topic,
                        "tokencast.consumer.client-id=" + LocalInfrastructure.uniqueName("app"),
                        "tokencast.consumer.required-keys=" + key)
                .run(context -> {
                    HealthIndicator health = context.getBean(HealthIndicator.class);
                    assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);

                    // when the refresher creates the topic and publishes the key
                    createAndPublish(topic, key);

                    // then the view reads it and health is UP
                    await().atMost(Duration.ofSeconds(30))
                            .untilAsserted(() ->
                                    assertThat(health.health().getStatus()).isEqualTo(Status.UP));
                    assertThat(context.getBean(TokenView.class).token(key).version())
                            .isEqualTo(1);
                });
    }

    @Test
    void listenerBeansHearTheVersionsPublishedBeforeTheApplicationStarted() throws Exception {
        // given a topic that already holds a token
        String topic = LocalInfrastructure.uniqueName("tokens");
        TokenKey key = TokenKey.parse("wechat-access-token/wx00000000000000cc");
        createAndPublish(topic, key);
        List<Token> heard = new CopyOnWriteArrayList<>();

        // when an application with a TokenChangeListener bean starts
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(TokenConsumerAutoConfiguration.class))
                .withPropertyValues("tokencast.consumer.refresher-keys-file="
                        + TestRefresherKey.shared().publicJwkSetFile())
                .withBean(TokenChangeListener.class, () -> heard::add)
                .withPropertyValues(
                        "tokencast.consumer.bootstrap-servers=" + bootstrap,
                        "tokencast.consumer.topic=" + topic,
                        "tokencast.consumer.client-id=" + LocalInfrastructure.uniqueName("app"))
                .run(context -> {
                    // then the listener hears the version that was there before it started
                    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(heard)
                            .extracting(Token::key, Token::version)
                            .containsExactly(org.assertj.core.groups.Tuple.tuple(key, 1L)));
                });
    }

    @Test
    void publishesHeartbeatsAsConfiguredUnderTheConfiguredInstanceId() throws Exception {
        // given a tokens topic and a consumers topic
        String topic = LocalInfrastructure.uniqueName("tokens");
        TokenKey key = TokenKey.parse("wechat-access-token/wx00000000000000dd");
        createAndPublish(topic, key);
        String consumers = LocalInfrastructure.uniqueName("consumers");
        createAndPublish(consumers, key);
        String instance = LocalInfrastructure.uniqueName("orders-1");

        // when an application starts with heartbeats every 200 ms on that topic
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(TokenConsumerAutoConfiguration.class))
                .withPropertyValues("tokencast.consumer.refresher-keys-file="
                        + TestRefresherKey.shared().publicJwkSetFile())
                .withPropertyValues(
                        "tokencast.consumer.bootstrap-servers=" + bootstrap,
                        "tokencast.consumer.topic=" + topic,
                        "tokencast.consumer.client-id=orders",
                        "tokencast.consumer.heartbeat.topic=" + consumers,
                        "tokencast.consumer.heartbeat.interval=200ms",
                        "tokencast.consumer.heartbeat.instance-id=" + instance)
                .run(context -> {
                    // then its heartbeat names the instance, the service and the version it holds
                    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(heartbeats(consumers))
                            .anySatisfy(heartbeat -> {
                                assertThat(heartbeat.instanceId()).isEqualTo(instance);
                                assertThat(heartbeat.service()).isEqualTo("orders");
                                assertThat(heartbeat.held())
                                        .extracting(ConsumerHeartbeat.HeldVersion::tokenKey)
                                        .containsExactly(key);
                            }));
                });
    }

    @Test
    void bindsKafkaClientMetricsForTheViewsClientsAndRemovesThemWhenTheViewCloses() throws Exception {
        // given an application with a meter registry
        String topic = LocalInfrastructure.uniqueName("tokens");
        createAndPublish(topic, TokenKey.parse("wechat-access-token/wx00000000000000ee"));
        String clientId = LocalInfrastructure.uniqueName("metered");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();

        // when it runs a token view with heartbeats
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(TokenConsumerAutoConfiguration.class))
                .withBean(MeterRegistry.class, () -> registry)
                .withPropertyValues("tokencast.consumer.refresher-keys-file="
                        + TestRefresherKey.shared().publicJwkSetFile())
                .withPropertyValues(
                        "tokencast.consumer.bootstrap-servers=" + bootstrap,
                        "tokencast.consumer.topic=" + topic,
                        "tokencast.consumer.client-id=" + clientId,
                        "tokencast.consumer.heartbeat.topic=" + LocalInfrastructure.uniqueName("consumers"),
                        "tokencast.consumer.heartbeat.interval=200ms")
                .run(context -> {
                    // then the reader's consumer and the heartbeat producer are measured, tagged with their ids
                    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                        assertThat(clientIds(registry, "kafka.consumer.")).contains(clientId);
                        assertThat(clientIds(registry, "kafka.producer.")).contains(clientId + "-heartbeat");
                    });
                });

        // and once the context closed the view, its clients' meters are gone
        assertThat(clientIds(registry, "kafka.")).doesNotContain(clientId, clientId + "-heartbeat");
    }

    private static List<String> clientIds(MeterRegistry registry, String prefix) {
        return registry.getMeters().stream()
                .filter(meter -> meter.getId().getName().startsWith(prefix))
                .map(meter -> meter.getId().getTag("client.id"))
                .filter(java.util.Objects::nonNull)
                .distinct()
                .toList();
    }

    private List<ConsumerHeartbeat> heartbeats(String topic) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        List<ConsumerHeartbeat> found = new java.util.ArrayList<>();
        new TopicReader(() -> new KafkaConsumer<String, byte[]>(config), topic, Duration.ofSeconds(30))
                .readToEnd(
                        record -> {
                            if (record.value() != null && new String(record.value()).contains("ConsumerHeartbeat")) {
                                found.add(EventCodec.json().decode(record.value(), ConsumerHeartbeat.class));
                            }
                        },
                        IllegalStateException::new);
        return found;
    }

    private void createAndPublish(String topic, TokenKey key) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)
                            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                    .all()
                    .get();
        }
        Instant now = Instant.now();
        TokenRefreshed event = TokenRefreshed.of(
                key,
                1,
                "token-v1",
                now,
                now.plus(Duration.ofHours(2)),
                now.plus(Duration.ofMinutes(90)),
                RefreshReason.STARTUP,
                "it",
                null);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            producer.send(new ProducerRecord<>(
                            topic, key.asString(), TestRefresherKey.shared().sign(event)))
                    .get();
        }
    }
}
