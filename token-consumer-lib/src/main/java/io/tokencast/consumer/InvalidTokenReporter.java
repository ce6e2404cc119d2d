package io.tokencast.consumer;

import io.tokencast.schema.EventCodec;
import io.tokencast.schema.RefreshRequested;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes invalid-token reports ({@link RefreshRequested} with {@code ifFingerprint}, never {@code force}) on the
 * reports topic; the producer is created on first use.
 */
final class InvalidTokenReporter implements AutoCloseable {

    private final String reportsTopic;
    private final Map<String, Object> config;
    private final KafkaClients clients;
    private Producer<String, byte[]> producer;
    private boolean closed;

    InvalidTokenReporter(
            String bootstrapServers,
            String reportsTopic,
            String clientId,
            Map<String, Object> extra,
            KafkaClients clients) {
        this.reportsTopic = reportsTopic;
        this.clients = clients;
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
        this.config = Map.copyOf(config);
    }

    String reportsTopic() {
        return reportsTopic;
    }

    CompletableFuture<Void> publish(RefreshRequested command) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        try {
            producer()
                    .send(
                            new ProducerRecord<>(
                                    reportsTopic,
                                    command.tokenKey().asString(),
                                    EventCodec.json().encode(command)),
                            (metadata, failure) -> {
                                if (failure == null) {
                                    sent.complete(null);
                                } else {
                                    sent.completeExceptionally(failure);
                                }
                            });
        } catch (RuntimeException e) {
            sent.completeExceptionally(e);
        }
        return sent;
    }

    private synchronized Producer<String, byte[]> producer() {
        if (closed) {
            throw new IllegalStateException("the token view is closed; build and start a new one to report tokens");
        }
        if (producer == null) {
            producer = clients.producer(config);
        }
        return producer;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            clients.producerClosed(producer);
        }
    }
}
