package io.tokencast.refresher.service.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tokencast.consumer.TokenView;
import io.tokencast.refresher.service.FleetTestCluster;
import io.tokencast.refresher.service.TestSigning;
import io.tokencast.schema.ConsumerHeartbeat;
import io.tokencast.schema.EventCodec;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.testkit.LocalInfrastructure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fleet view end to end: a real consumer's heartbeats and a lagging instance's, read by a refresher and
 * judged against the version in Redis.
 */
class FleetIT {

    private final FleetTestCluster cluster = new FleetTestCluster();
    private final KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
            Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    LocalInfrastructure.shared().kafkaBootstrapServers(),
                    ProducerConfig.ACKS_CONFIG,
                    "all"),
            new StringSerializer(),
            new ByteArraySerializer());
    private TokenView view;

    @AfterEach
    void close() {
        if (view != null) {
            view.close();
        }
        producer.close();
        cluster.close();
    }

    @Test
    void countsTheInstanceOnTheNewestVersionFlagsTheLaggardAndForgetsAClosedInstance() throws Exception {
        cluster.start("fleet-a");
        TokenKey key = cluster.key();
        FleetQuery fleet = cluster.context("fleet-a").getBean(FleetQuery.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> fleet.forKey(key).newestVersion() >= 1);

        // a real consumer with heartbeats every 200 ms on the cluster's consumers topic
        view = TokenView.builder()
                .bootstrapServers(LocalInfrastructure.shared().kafkaBootstrapServers())
                .topic(cluster.tokensTopic())
                .refresherKeysFile(TestSigning.FILES.publicFile())
                .consumersTopic(cluster.consumersTopic())
                .clientId("orders")
                .instanceId("orders-1")
                .clock(cluster.clock())
                .heartbeatInterval(Duration.ofMillis(200))
                .build()
                .start();
        view.awaitReady(Duration.ofSeconds(30));

        // an operator's refresh makes version 2
        producer.send(new ProducerRecord<>(cluster.adminTopic(), key.asString(), cluster.signedManualRefresh(key)))
                .get();
        await().atMost(Duration.ofSeconds(30)).until(() -> fleet.forKey(key).newestVersion() == 2);
        TokenRefreshed v2 = cluster.stored(key);

        // and an instance that never read it says it holds version 1
        TokenRefreshed v1 = cluster.topicVersion(key, 1);
        send(cluster.consumersTopic(), "billing-7", lagging("billing-7", key, v1));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            KeyFleet answer = fleet.forKey(key);
            assertThat(answer.current()).isEqualTo(1);
            assertThat(answer.behind()).singleElement().satisfies(laggard -> {
                assertThat(laggard.instanceId()).isEqualTo("billing-7");
                assertThat(laggard.heldVersion()).isEqualTo(1);
                assertThat(laggard.behindSince()).isEqualTo(v2.issuedAt());
            });
        });

        // the fleet view shows who verifies signatures, and with which library: the upgrade's gauge
        assertThat(fleet.view().instances()).allSatisfy(instance -> {
            ConsumerHeartbeat heartbeat = instance.heartbeat();
            if (heartbeat.instanceId().equals("orders-1")) {
                assertThat(heartbeat.libraryVersion()).isEqualTo("0.1.0-SNAPSHOT");
                assertThat(heartbeat.signatures().verified()).isTrue();
                assertThat(heartbeat.signatures().kids())
                        .isNotEmpty()
                        .containsExactlyInAnyOrderElementsOf(
                                view.signatureVerification().kids());
            } else {
                assertThat(heartbeat.libraryVersion()).isEqualTo("0.0.9");
                assertThat(heartbeat.signatures())
                        .as("a library older than signing")
                        .isNull();
            }
        });

        // the consumer closes: its tombstone takes it out of the count
        view.close();
        await().atMost(Duration.ofSeconds(30)).until(() -> fleet.forKey(key).current() == 0);
        assertThat(fleet.view().instances())
                .extracting(i -> i.heartbeat().instanceId())
                .containsExactly("billing-7");
    }

    private ConsumerHeartbeat lagging(String instanceId, TokenKey key, TokenRefreshed held) {
        return new ConsumerHeartbeat(
                instanceId,
                "billing",
                "host-7",
                "0.0.9",
                cluster.clock().instant(),
                cluster.clock().instant(),
                null,
                null,
                null,
                List.of(new ConsumerHeartbeat.HeldVersion(key, held.version(), held.fingerprint())));
    }

    private void send(String topic, String key, io.tokencast.schema.TokencastEvent event) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, EventCodec.json().encode(event)))
                .get();
    }
}
