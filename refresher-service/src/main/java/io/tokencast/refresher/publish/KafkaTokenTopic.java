package io.tokencast.refresher.publish;

import io.tokencast.schema.EventCodec;
import io.tokencast.schema.EventDecodingException;
import io.tokencast.schema.InvalidTokenKeyException;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link TokenTopic} read with a short-lived consumer: assign every partition, seek to the beginning and
 * poll up to the end offsets taken at the start (as Kafka Connect's {@code KafkaBasedLog} does). No
 * consumer group: nothing is committed.
 */
final class KafkaTokenTopic implements TokenTopic {

    private static final Logger log = LoggerFactory.getLogger(KafkaTokenTopic.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final Supplier<Consumer<String, byte[]>> consumers;
    private final String topic;
    private final Duration timeout;
    private final EventCodec codec = EventCodec.json();

    KafkaTokenTopic(Supplier<Consumer<String, byte[]>> consumers, String topic, Duration timeout) {
        this.consumers = consumers;
        this.topic = topic;
        this.timeout = timeout;
    }

    @Override
    public Map<TokenKey, TokenRefreshed> readToEnd() {
        // A monotonic deadline: it bounds a network read, not a token's life, so the injected clock has no say.
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Consumer<String, byte[]> consumer = consumers.get()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            Map<TokenKey, TokenRefreshed> latest = new HashMap<>();
            while (!caughtUp(consumer, end)) {
                if (System.nanoTime() - deadline > 0) {
                    throw new PublishException(
                            "could not read " + topic + " to its end offsets " + end + " within " + timeout, null);
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    apply(latest, record);
                }
            }
            return latest;
        }
    }

    private static boolean caughtUp(Consumer<String, byte[]> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    private void apply(Map<TokenKey, TokenRefreshed> latest, ConsumerRecord<String, byte[]> record) {
        TokenKey key;
        try {
            key = TokenKey.parse(record.key());
        } catch (InvalidTokenKeyException e) {
            log.warn(
                    "skipped record with invalid key topic={} offset={} problem={}",
                    topic,
                    record.offset(),
                    e.getMessage());
            return;
        }
        if (record.value() == null) {
            latest.remove(key);
            return;
        }
        try {
            TokenRefreshed event = codec.decode(record.value(), TokenRefreshed.class);
            latest.merge(key, event, (a, b) -> b.version() > a.version() ? b : a);
        } catch (EventDecodingException e) {
            log.warn(
                    "skipped unreadable record topic={} key={} offset={} problem={}",
                    topic,
                    key,
                    record.offset(),
                    e.getMessage());
        }
    }
}
