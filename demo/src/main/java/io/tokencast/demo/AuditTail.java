package io.tokencast.demo;

import io.tokencast.schema.EventCodec;
import io.tokencast.schema.EventDecodingException;
import io.tokencast.schema.RefreshAttempted;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Narrates every refresh attempt the refreshers audit, as it lands on the audit topic. */
final class AuditTail implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private volatile boolean running = true;

    AuditTail(String bootstrapServers, String topic) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG,
                "demo-audit-tail",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class));
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread = new Thread(this::run, "demo-audit-tail");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    narrate(record);
                }
            }
        } catch (WakeupException closing) {
            // close() woke the poll
        } finally {
            consumer.close();
        }
    }

    private static void narrate(ConsumerRecord<String, byte[]> record) {
        try {
            RefreshAttempted attempt = EventCodec.json().decode(record.value(), RefreshAttempted.class);
            StringBuilder line =
                    new StringBuilder().append(attempt.outcome()).append(' ').append(attempt.tokenKey());
            if (attempt.version() != null) {
                line.append(" v").append(attempt.version());
            }
            if (attempt.fingerprint() != null) {
                line.append(' ').append(attempt.fingerprint());
            }
            if (attempt.reason() != null) {
                line.append(" reason=").append(attempt.reason());
            }
            if (attempt.errorCode() != null) {
                line.append(" error=").append(attempt.errorCode());
            }
            Console.say(attempt.refresher(), line.toString());
        } catch (EventDecodingException e) {
            Console.say("audit", "unreadable audit record: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
