package io.tokencast.refresher.service.publish;

import io.tokencast.topics.EndOffsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a topic on a thread of its own, in no consumer group, handing every record to a sink: from the
 * beginning (a compacted topic materialized in memory) or from an instant (the recent part of a log). A record
 * the sink cannot take is logged and skipped; it never stops the tail. A caller that must know what the topic
 * holds now asks for a {@linkplain #requestSync sync}: the tail takes the end offsets anew and says when it has
 * handed over every record up to them ({@link #hasSynced}).
 */
public final class TopicTail implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TopicTail.class);
    private static final Duration POLL = Duration.ofMillis(250);
    private static final Duration RETRY = Duration.ofSeconds(2);

    private final Supplier<org.apache.kafka.clients.consumer.Consumer<String, byte[]>> consumers;
    private final String topic;
    private final Duration lookBack;
    private final Clock clock;
    private final Consumer<ConsumerRecord<String, byte[]>> sink;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean caughtUp;
    private final AtomicLong syncsRequested = new AtomicLong();
    private volatile long synced;
    private volatile org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer;

    /**
     * @param lookBack null to read from the beginning; otherwise records since {@code clock.instant() - lookBack}
     */
    public TopicTail(
            Supplier<org.apache.kafka.clients.consumer.Consumer<String, byte[]>> consumers,
            String topic,
            Duration lookBack,
            Clock clock,
            Consumer<ConsumerRecord<String, byte[]>> sink) {
        this.consumers = consumers;
        this.topic = topic;
        this.lookBack = lookBack;
        this.clock = clock;
        this.sink = sink;
        this.thread = new Thread(this::run, "tokencast-tail-" + topic);
        this.thread.setDaemon(true);
    }

    public TopicTail start() {
        thread.start();
        return this;
    }

    /** Whether the tail has read up to the end offsets it found when it assigned the partitions. */
    public boolean isCaughtUp() {
        return caughtUp;
    }

    /**
     * Asks the tail to take the topic's end offsets after this call and to read up to them; returns the ticket
     * {@link #hasSynced} takes. Records written before this call are then known to the sink.
     */
    public long requestSync() {
        return syncsRequested.incrementAndGet();
    }

    /** Whether the tail has handed the sink every record up to the end offsets taken for {@code ticket}. */
    public boolean hasSynced(long ticket) {
        return synced >= ticket;
    }

    public String topic() {
        return topic;
    }

    private void run() {
        while (running) {
            try (org.apache.kafka.clients.consumer.Consumer<String, byte[]> opened = consumers.get()) {
                consumer = opened;
                follow(opened);
            } catch (WakeupException | InterruptException e) {
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                log.warn("topic tail failed topic={} cause={}; reopening in {}", topic, e.toString(), RETRY);
                pause();
            }
        }
    }

    private void follow(org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer) {
        List<TopicPartition> partitions = List.of();
        while (running && partitions.isEmpty()) {
            partitions = consumer.partitionsFor(topic, RETRY).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            if (partitions.isEmpty()) {
                pause(); // not created yet: the refresher creates it at start, another replica may be first
            }
        }
        consumer.assign(partitions);
        seek(consumer, partitions);
        EndOffsets end = EndOffsets.take(consumer, partitions, RETRY);
        long syncTaken = 0;
        EndOffsets syncEnd = EndOffsets.none();
        while (running) {
            long wanted = syncsRequested.get();
            if (wanted > syncTaken) {
                // Taken after the request: everything written before it lies below these offsets.
                syncEnd = EndOffsets.take(consumer, partitions, RETRY);
                syncTaken = wanted;
            }
            for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                try {
                    sink.accept(record);
                } catch (RuntimeException e) {
                    log.warn(
                            "record skipped topic={} partition={} offset={} cause={}",
                            record.topic(),
                            record.partition(),
                            record.offset(),
                            e.toString());
                }
            }
            if (!caughtUp && end.reachedBy(consumer)) {
                caughtUp = true;
            }
            if (synced < syncTaken && syncEnd.reachedBy(consumer)) {
                synced = syncTaken;
            }
        }
    }

    private void seek(
            org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer, List<TopicPartition> partitions) {
        consumer.seekToBeginning(partitions);
        if (lookBack == null) {
            return;
        }
        long since = clock.instant().minus(lookBack).toEpochMilli();
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(p -> query.put(p, Math.max(0, since)));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, RETRY);
        EndOffsets ends = EndOffsets.take(consumer, partitions, RETRY);
        for (TopicPartition partition : partitions) {
            OffsetAndTimestamp at = found.get(partition);
            consumer.seek(partition, at == null ? ends.of(partition) : at.offset());
        }
    }

    private void pause() {
        try {
            Thread.sleep(RETRY.toMillis()); // a retry pause on this tail's own thread, not a test's wait
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** The instant {@code lookBack} before now, for callers that show where the tail starts. */
    public Instant since() {
        return lookBack == null ? Instant.EPOCH : clock.instant().minus(lookBack);
    }

    @Override
    public void close() {
        running = false;
        org.apache.kafka.clients.consumer.Consumer<String, byte[]> open = consumer;
        if (open != null) {
            open.wakeup();
        }
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
