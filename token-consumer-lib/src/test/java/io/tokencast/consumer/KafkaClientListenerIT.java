package io.tokencast.consumer;

import static io.tokencast.consumer.Events.START;
import static io.tokencast.consumer.Events.key;
import static io.tokencast.consumer.Events.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tokencast.schema.TokenKey;
import io.tokencast.testkit.LocalInfrastructure;
import io.tokencast.testkit.MutableClock;
import io.tokencast.testkit.signing.TestRefresherKey;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A view tells its {@link KafkaClientListener} of every Kafka client it creates (the reader's consumer, the
 * heartbeat and report producers) and again when it closes each: the seam client metrics are bound through.
 */
class KafkaClientListenerIT {

    private final MutableClock clock = new MutableClock(START.plus(Duration.ofMinutes(10)));
    private final TokenTopic tokens = TokenTopic.compacted("tokens", 1);
    private final TokenTopic consumers = TokenTopic.compacted("consumers", 1);
    private final TokenTopic reports = TokenTopic.deleting("reports");
    private final List<String> heard = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        tokens.close();
        consumers.close();
        reports.close();
    }

    @Test
    void listenerHearsOfEveryClientTheViewCreatesAndOfItsClosing() {
        TokenKey key = key("wx00000000000000c1");
        tokens.send(version(key, 1, START));
        tokens.flush();
        String clientId = LocalInfrastructure.uniqueName("metered");
        TokenView view = TokenView.builder()
                .bootstrapServers(TokenTopic.bootstrapServers())
                .refresherKeys(TestRefresherKey.shared().verificationKeys())
                .topic(tokens.name)
                .reportsTopic(reports.name)
                .consumersTopic(consumers.name)
                .heartbeatInterval(Duration.ofMillis(200))
                .clientId(clientId)
                .clock(clock)
                .kafkaClientListener(new Recording())
                .build();

        try {
            view.start().awaitReady(Duration.ofSeconds(30));
            view.reportInvalid(view.token(key), 40001).cancel(false);

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(heard)
                    .contains(
                            "consumerAdded " + clientId,
                            "producerAdded " + clientId + "-heartbeat",
                            "producerAdded " + clientId + "-reporter"));
        } finally {
            view.close();
        }

        assertThat(heard)
                .contains(
                        "consumerRemoved " + clientId,
                        "producerRemoved " + clientId + "-heartbeat",
                        "producerRemoved " + clientId + "-reporter");
    }

    private final class Recording implements KafkaClientListener {

        @Override
        public void consumerAdded(String clientId, Consumer<?, ?> consumer) {
            heard.add("consumerAdded " + clientId);
        }

        @Override
        public void consumerRemoved(String clientId, Consumer<?, ?> consumer) {
            heard.add("consumerRemoved " + clientId);
        }

        @Override
        public void producerAdded(String clientId, Producer<?, ?> producer) {
            heard.add("producerAdded " + clientId);
        }

        @Override
        public void producerRemoved(String clientId, Producer<?, ?> producer) {
            heard.add("producerRemoved " + clientId);
        }
    }
}
