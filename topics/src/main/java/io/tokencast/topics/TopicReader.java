package io.tokencast.topics;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads a topic once, as Kafka Connect's {@code KafkaBasedLog} reads a compacted one: a short-lived consumer
 * assigns every partition, seeks (to the beginning, or to an instant), takes the {@link EndOffsets} and polls up to
 * them. Records written after the end offsets were taken are not handed over: a read is what the topic held when
 * it started. No consumer group: nothing is committed, every reader reads everything.
 */
public final class TopicReader {

    private static final Duration POLL = Duration.ofMillis(200);

    private final Supplier<? extends Consumer<String, byte[]>> consumers;
    private final String topic;
    private final Duration timeout;

    /** Reads {@code topic} with a consumer from {@code consumers}, giving up after {@code timeout}. */
    public TopicReader(Supplier<? extends Consumer<String, byte[]>> consumers, String topic, Duration timeout) {
        this.consumers = consumers;
        this.topic = topic;
        this.timeout = timeout;
    }

    public String topic() {
        return topic;
    }

    /**
     * Hands {@code sink} every record from the beginning up to the end offsets, in offset order within a partition.
     * Throws what {@code timedOut} makes of a message naming the topic, its end offsets and the timeout when the end
     * is not reached in time; Kafka's own failures propagate as they are.
     *
     * @return false when the topic has no partitions (it does not exist): nothing was read
     */
    public boolean readToEnd(
            java.util.function.Consumer<ConsumerRecord<String, byte[]>> sink,
            Function<String, ? extends RuntimeException> timedOut) {
        return read(null, sink, timedOut);
    }

    /**
     * {@link #readToEnd}, starting in each partition at the first record whose timestamp is at or after {@code
     * since} (a partition with none is not read).
     */
    public boolean readSince(
            Instant since,
            java.util.function.Consumer<ConsumerRecord<String, byte[]>> sink,
            Function<String, ? extends RuntimeException> timedOut) {
        return read(since, sink, timedOut);
    }

    private boolean read(
            Instant since,
            java.util.function.Consumer<ConsumerRecord<String, byte[]>> sink,
            Function<String, ? extends RuntimeException> timedOut) {
        // A monotonic deadline: it bounds a network read, not the life of what the topic holds.
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Consumer<String, byte[]> consumer = consumers.get()) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                return false;
            }
            List<TopicPartition> partitions = infos.stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            EndOffsets end = EndOffsets.take(consumer, partitions, timeout);
            if (since != null) {
                seek(consumer, partitions, since, end);
            }
            while (!end.reachedBy(consumer)) {
                if (System.nanoTime() - deadline > 0) {
                    throw timedOut.apply(
                            "could not read " + topic + " to its end offsets " + end + " within " + timeout);
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    if (end.includes(record)) {
                        sink.accept(record);
                    }
                }
            }
            return true;
        }
    }

    private void seek(
            Consumer<String, byte[]> consumer, List<TopicPartition> partitions, Instant since, EndOffsets end) {
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(partition -> query.put(partition, Math.max(0, since.toEpochMilli())));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, timeout);
        for (TopicPartition partition : partitions) {
            OffsetAndTimestamp at = found.get(partition);
            consumer.seek(partition, at == null ? end.of(partition) : at.offset());
        }
    }
}
