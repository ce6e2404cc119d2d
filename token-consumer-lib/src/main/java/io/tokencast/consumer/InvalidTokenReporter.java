package io.tokencast.consumer;

import io.tokencast.schema.EventCodec;
import io.tokencast.schema.RefreshRequested;
import io.tokencast.topics.CommandPublisher;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes invalid-token reports ({@link RefreshRequested} with {@code ifFingerprint}, never {@code force}) on the
 * reports topic, through the {@link CommandPublisher}; the producer is created on first use.
 */
final class InvalidTokenReporter implements AutoCloseable {

    private final CommandPublisher publisher;
    private boolean closed;

    InvalidTokenReporter(
            String bootstrapServers,
            String reportsTopic,
            String clientId,
            Map<String, Object> extra,
            KafkaClients clients) {
        Map<String, Object> config = new HashMap<>();
        // A report waits at most this long for metadata: the caller is usually a request thread.
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        config.putAll(extra);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId + "-reporter");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        Map<String, Object> settings = Map.copyOf(config);
        this.publisher = new CommandPublisher(
                () -> clients.producer(settings), clients::producerClosed, reportsTopic, Duration.ofSeconds(5));
    }

    String reportsTopic() {
        return publisher.topic();
    }

    CompletableFuture<Void> publish(RefreshRequested command) {
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException(
                        "the token view is closed; build and start a new one to report tokens"));
            }
        }
        byte[] value;
        try {
            value = EventCodec.json().encode(command);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return publisher.publish(command, value);
    }

    @Override
    public synchronized void close() {
        closed = true;
        publisher.close();
    }
}
