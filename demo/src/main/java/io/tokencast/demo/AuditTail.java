package io.tokencast.demo;

import io.tokencast.refresher.service.publish.TopicTail;
import io.tokencast.schema.EventCodec;
import io.tokencast.schema.EventDecodingException;
import io.tokencast.schema.RefreshAttempted;
import java.time.Clock;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Narrates every refresh attempt the refreshers audit, as it lands on the audit topic. */
final class AuditTail implements AutoCloseable {

    private final TopicTail tail;

    AuditTail(String bootstrapServers, String topic) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG,
                "demo-audit-tail",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class);
        // The refresher's own follower of a topic, from its beginning (no look-back, so no clock is read).
        tail = new TopicTail(
                        () -> new KafkaConsumer<String, byte[]>(config),
                        topic,
                        null,
                        Clock.systemUTC(),
                        AuditTail::narrate)
                .start();
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
        tail.close();
    }
}
