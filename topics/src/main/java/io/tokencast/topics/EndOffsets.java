package io.tokencast.topics;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The end offsets of a topic's partitions, taken at one moment: what the topic held then. A consumer that has
 * read to them ({@link #reachedBy}) has seen every record written before they were taken. The one rule of "caught
 * up" for every reader of tokencast's topics.
 */
public final class EndOffsets {

    private final Map<TopicPartition, Long> offsets;

    private EndOffsets(Map<TopicPartition, Long> offsets) {
        this.offsets = Map.copyOf(offsets);
    }

    /** The end offsets of {@code partitions} now, as {@code consumer} (in {@code read_committed}: the LSO) sees them. */
    public static EndOffsets take(Consumer<?, ?> consumer, Collection<TopicPartition> partitions, Duration timeout) {
        return new EndOffsets(consumer.endOffsets(partitions, timeout));
    }

    /** No partitions: reached by any consumer. */
    public static EndOffsets none() {
        return new EndOffsets(Map.of());
    }

    /** Whether {@code consumer}'s position on every partition is at or past its end offset. */
    public boolean reachedBy(Consumer<?, ?> consumer) {
        return offsets.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    /** {@link #reachedBy(Consumer)}, each position asked within {@code timeout}. */
    public boolean reachedBy(Consumer<?, ?> consumer, Duration timeout) {
        return offsets.entrySet().stream().allMatch(e -> consumer.position(e.getKey(), timeout) >= e.getValue());
    }

    /** Whether {@code record} lies below the end offset of its partition: it was there when they were taken. */
    public boolean includes(ConsumerRecord<?, ?> record) {
        Long end = offsets.get(new TopicPartition(record.topic(), record.partition()));
        return end != null && record.offset() < end;
    }

    /** The end offset of {@code partition}, 0 for one not taken. */
    public long of(TopicPartition partition) {
        return offsets.getOrDefault(partition, 0L);
    }

    /** The sum of the end offsets: how many records the partitions held, compacted ones included. */
    public long total() {
        return offsets.values().stream().mapToLong(Long::longValue).sum();
    }

    /** How many records {@code consumer} is behind these end offsets, each position asked within {@code timeout}. */
    public long behind(Consumer<?, ?> consumer, Duration timeout) {
        long behind = 0;
        for (Map.Entry<TopicPartition, Long> end : offsets.entrySet()) {
            behind += Math.max(0, end.getValue() - consumer.position(end.getKey(), timeout));
        }
        return behind;
    }

    @Override
    public String toString() {
        return offsets.toString();
    }
}
