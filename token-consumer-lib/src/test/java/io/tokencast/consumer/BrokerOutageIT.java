package io.tokencast.consumer;

import static io.tokencast.consumer.Events.START;
import static io.tokencast.consumer.Events.key;
import static io.tokencast.consumer.Events.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tokencast.schema.EventCodec;
import io.tokencast.schema.TokenKey;
import io.tokencast.testkit.KafkaBrokerProcess;
import io.tokencast.testkit.LocalInfrastructure;
import io.tokencast.testkit.signing.TestRefresherKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A view over a broker that crashes keeps serving what it holds, says it has lost contact, and follows the topic
 * again afterwards.
 */
class BrokerOutageIT {

    private static final Logger log = LoggerFactory.getLogger(BrokerOutageIT.class);

    private static final Duration CHECK_INTERVAL = Duration.ofMillis(500);
    private static final Duration LOST_AFTER = Duration.ofSeconds(3);

    // Real time, 70 minutes into the tokens' life: they stay FRESH for far longer than the test, and the
    // broker's silence is measured as it really passes.
    private final Clock clock = Clock.offset(
            Clock.systemUTC(), Duration.between(Clock.systemUTC().instant(), START.plus(Duration.ofMinutes(70))));
    private final TokenKey key = key("wx00000000000000aa");

    @Test
    void keepsServingTheHeldTokenWhileTheBrokerIsDownAndReceivesTheNextVersionAfterItComesBack() throws Exception {
        ScheduledExecutorService reader = Executors.newSingleThreadScheduledExecutor();
        try (KafkaBrokerProcess broker = LocalInfrastructure.dedicatedKafka();
                TokenTopic topic = TokenTopic.compacted("tokens", 1, broker.bootstrapServers());
                TokenView view = TokenView.builder()
                        .bootstrapServers(broker.bootstrapServers())
                        .refresherKeys(TestRefresherKey.shared().verificationKeys())
                        .topic(topic.name)
                        .clientId(LocalInfrastructure.uniqueName("view"))
                        .clock(clock)
                        .brokerContactCheckInterval(CHECK_INTERVAL)
                        .brokerContactLostAfter(LOST_AFTER)
                        .build()) {
            // given a ready view holding v1
            topic.send(version(key, 1, START));
            topic.flush();
            view.start().awaitReady(Duration.ofSeconds(30));
            assertThat(view.token(key).version()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertInContactSince(view, START));

            // and a reader asking the view for the token every 10 ms from now until the end
            AtomicLong reads = new AtomicLong();
            List<String> failures = new CopyOnWriteArrayList<>();
            reader.scheduleAtFixedRate(() -> read(view, reads, failures), 0, 10, TimeUnit.MILLISECONDS);

            // when the broker crashes
            long killed = System.nanoTime();
            broker.kill();

            // then nothing can be published, and the view keeps serving v1 as FRESH throughout
            try (KafkaProducer<String, byte[]> impatient = impatientProducer(broker.bootstrapServers())) {
                ProducerRecord<String, byte[]> v2 = new ProducerRecord<>(
                        topic.name, key.asString(), EventCodec.json().encode(version(key, 2, START.plusSeconds(60))));
                assertThatThrownBy(() -> impatient.send(v2).get())
                        .isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(TimeoutException.class);
            }
            // and the view says so once the broker has been silent for longer than the threshold
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> view.brokerContact().lost());
            long lost = System.nanoTime();
            BrokerContact lastHeard = view.brokerContact();
            assertThat(lastHeard.silentFor()).isGreaterThan(LOST_AFTER);
            await().during(Duration.ofSeconds(2))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> view.token(key).version() == 1
                            && view.state(key) == TokenState.FRESH
                            && view.brokerContact().lost()
                            && view.brokerContact().lastContactAt().equals(lastHeard.lastContactAt()));
            long readsWhileDown = reads.get();

            // when the broker comes back and v2 is published by the producer from before the crash
            broker.restart();
            long restarted = System.nanoTime();
            Instant restartedAt = clock.instant();
            topic.send(version(key, 2, START.plusSeconds(60)));
            topic.flush();

            // then the view, reconnected by itself, serves v2
            await().atMost(Duration.ofSeconds(20)).until(() -> view.token(key).version() == 2);
            long caughtUp = System.nanoTime();

            // and says it is in contact again, with nothing left to read
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertInContactSince(view, restartedAt));
            reader.shutdown();
            assertThat(reader.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
            assertThat(failures).isEmpty();
            assertThat(view.state(key)).isEqualTo(TokenState.FRESH);
            log.info(
                    "broker outage killToLostMs={} killToRestartedMs={} restartToV2Ms={} readsWhileDown={}"
                            + " readsTotal={}",
                    (lost - killed) / 1_000_000,
                    (restarted - killed) / 1_000_000,
                    (caughtUp - restarted) / 1_000_000,
                    readsWhileDown,
                    reads.get());
        } finally {
            reader.shutdownNow();
        }
    }

    private static void assertInContactSince(TokenView view, Instant since) {
        BrokerContact contact = view.brokerContact();
        assertThat(contact.lost()).isFalse();
        assertThat(contact.lastContactAt())
                .hasValueSatisfying(at -> assertThat(at).isAfter(since));
        assertThat(contact.recordsBehind()).hasValue(0);
    }

    private void read(TokenView view, AtomicLong reads, List<String> failures) {
        try {
            view.token(key);
            TokenState state = view.state(key);
            if (state != TokenState.FRESH) {
                failures.add("state " + state);
            }
            reads.incrementAndGet();
        } catch (RuntimeException e) {
            failures.add(e.toString());
        }
    }

    private static KafkaProducer<String, byte[]> impatientProducer(String bootstrapServers) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                2000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                2000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                3000,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class));
    }
}
