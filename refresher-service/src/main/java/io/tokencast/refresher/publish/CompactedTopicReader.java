package io.tokencast.refresher.publish;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads a compacted topic to its end, as Kafka Connect's {@code KafkaBasedLog} does: a short-lived consumer
 * assigns every partition, seeks to the beginning and polls up to the end offsets taken at the start. No
 * consumer group: nothing is committed, every replica reads everything.
 */
public final class CompactedTopicReader {

    private static final Duration POLL = Duration.ofMillis(200);

    private final Supplier<Consumer<String, byte[]>> consumers;
    private final String topic;
    private final Duration timeout;

    /** Reads {@code topic} with a consumer from {@code consumers}, giving up after {@code timeout}. */
    public CompactedTopicReader(Supplier<Consumer<String, byte[]>> consumers, String topic, Duration timeout) {
        this.consumers = consumers;
        this.topic = topic;
        this.timeout = timeout;
    }

    /**
     * Hands every record from the beginning up to the end offsets to {@code sink}, in offset order within a
     * partition. Throws what {@code timedOut} makes of a message naming the topic, its end offsets and the
     * timeout when the end is not reached in time; Kafka's own failures propagate as they are.
     */
    public void readToEnd(
            java.util.function.Consumer<ConsumerRecord<String, byte[]>> sink,
            Function<String, ? extends RuntimeException> timedOut) {
        // A monotonic deadline: it bounds a network read, not the life of what the topic holds, so the injected
        // clock has no say.
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Consumer<String, byte[]> consumer = consumers.get()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            while (!caughtUp(consumer, end)) {
                if (System.nanoTime() - deadline > 0) {
                    throw timedOut.apply(
                            "could not read " + topic + " to its end offsets " + end + " within " + timeout);
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    sink.accept(record);
                }
            }
        }
    }

    private static boolean caughtUp(Consumer<String, byte[]> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }
}
