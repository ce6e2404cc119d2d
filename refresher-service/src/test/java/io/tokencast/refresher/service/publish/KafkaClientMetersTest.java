package io.tokencast.refresher.service.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/** A topic reader's consumer is measured from when it is made until it is closed, and leaves no meters behind. */
class KafkaClientMetersTest {

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final KafkaClientMeters meters = new KafkaClientMeters(Optional.of(registry));

    @Test
    void aReadersConsumerIsMeasuredUntilItIsClosed() {
        // a consumer connects only when it is used: none of this needs a broker
        Supplier<Consumer<String, byte[]>> consumers = meters.consumers(() -> new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9",
                        ConsumerConfig.CLIENT_ID_CONFIG, "tokencast-recovery-r1"),
                new StringDeserializer(),
                new ByteArrayDeserializer()));

        Consumer<String, byte[]> consumer = consumers.get();
        assertThat(clientIds()).containsExactly("tokencast-recovery-r1");

        consumer.close(Duration.ZERO);
        assertThat(clientIds()).isEmpty();
    }

    @Test
    void withoutARegistryNothingIsMeasured() {
        KafkaClientMeters none = new KafkaClientMeters(Optional.empty());
        try (Consumer<String, byte[]> consumer = none.consumers(() -> new KafkaConsumer<String, byte[]>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9",
                                ConsumerConfig.CLIENT_ID_CONFIG, "tokencast-recovery-r2"),
                        new StringDeserializer(),
                        new ByteArrayDeserializer()))
                .get()) {
            assertThat(consumer).isInstanceOf(KafkaConsumer.class);
        }
        assertThat(clientIds()).isEmpty();
    }

    private List<String> clientIds() {
        return registry.getMeters().stream()
                .filter(meter -> meter.getId().getName().startsWith("kafka.consumer."))
                .map(meter -> meter.getId().getTag("client.id"))
                .filter(Objects::nonNull)
                .distinct()
                .toList();
    }
}
