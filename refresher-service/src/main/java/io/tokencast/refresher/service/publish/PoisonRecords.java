package io.tokencast.refresher.service.publish;

import io.micrometer.core.instrument.MeterRegistry;
import io.tokencast.refresher.service.store.RedisKeyspace;
import io.tokencast.schema.LogText;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Poison met on tokencast's own compacted topics (tokens, credentials), copied to the dead-letter topic by the
 * leader, once per record (docs/operations.md §5.1). Every replica's follower of a topic {@linkplain #offer
 * offers} the records it could not take (undecodable, out of range, unsigned or badly signed, another key's
 * record); the leader's check {@linkplain #drain drains} them. Once: a record is claimed in Redis by topic,
 * partition and offset ({@code <prefix>dead-lettered:<topic>:<partition>:<offset>}, kept as long as the
 * dead-letter topic keeps the copy), so a restart, which reads the topics again from their beginning, and a new
 * leader copy nothing twice. Bounded: at most {@link #MAX_PENDING} wait; beyond that the oldest is dropped and
 * counted in {@code tokencast.dead-letters.dropped}. Thread-safe.
 */
public final class PoisonRecords {

    private static final Logger log = LoggerFactory.getLogger(PoisonRecords.class);

    static final int MAX_PENDING = 1_000;
    private static final int MAX_MESSAGE_CHARS = 300;

    private record Pending(ConsumerRecord<String, byte[]> record, String problem, String message) {
        String id() {
            return record.topic() + ":" + record.partition() + ":" + record.offset();
        }
    }

    private final DeadLetters letters;
    private final StringRedisTemplate redis;
    private final RedisKeyspace keyspace;
    private final Duration remember;
    private final MeterRegistry meters;
    private final Deque<Pending> pending = new ArrayDeque<>();

    /**
     * @param remember how long a copied record's claim lives: the dead-letter topic's retention
     */
    public PoisonRecords(
            DeadLetters letters, StringRedisTemplate redis, String prefix, Duration remember, MeterRegistry meters) {
        this.letters = letters;
        this.redis = redis;
        this.keyspace = new RedisKeyspace(prefix);
        this.remember = remember;
        this.meters = meters;
    }

    /** Queues a record the follower could not take; never throws. {@code message} never quotes the record. */
    public void offer(ConsumerRecord<String, byte[]> record, String problem, String message) {
        boolean dropped;
        synchronized (pending) {
            dropped = pending.size() >= MAX_PENDING && pending.pollFirst() != null;
            pending.addLast(new Pending(record, problem, LogText.of(message, MAX_MESSAGE_CHARS)));
        }
        if (dropped) {
            meters.counter("tokencast.dead-letters.dropped", "topic", record.topic())
                    .increment();
        }
    }

    /**
     * On the leader: copies every queued record not copied before to the dead-letter topic. A record the broker or
     * Redis did not take waits for the next call. Never throws.
     */
    public void drain(BooleanSupplier leading) {
        while (leading.getAsBoolean()) {
            Pending next;
            synchronized (pending) {
                next = pending.peekFirst();
            }
            if (next == null || !copy(next)) {
                return;
            }
            synchronized (pending) {
                pending.remove(next);
            }
        }
    }

    /** Whether the record is done with: copied now, or claimed before. */
    private boolean copy(Pending next) {
        ConsumerRecord<String, byte[]> record = next.record();
        String claim = keyspace.deadLettered(record.topic(), record.partition(), record.offset());
        try {
            if (!Boolean.TRUE.equals(redis.opsForValue().setIfAbsent(claim, "1", remember))) {
                return true;
            }
        } catch (DataAccessException e) {
            log.warn(
                    "dead letter postponed record={} cause=redis error={}",
                    next.id(),
                    e.getClass().getName());
            return false;
        }
        try {
            letters.keep(raw(next.record()), next.problem(), next.message());
        } catch (DeadLetterException e) {
            release(claim);
            log.warn("dead letter postponed record={} cause=broker error={}", next.id(), e.getMessage());
            return false;
        }
        meters.counter("tokencast.dead-letters.kept", "topic", next.record().topic())
                .increment();
        log.warn(
                "poison record dead-lettered record={} problem={} message=\"{}\"",
                next.id(),
                next.problem(),
                next.message());
        return true;
    }

    private void release(String claim) {
        try {
            redis.delete(claim);
        } catch (DataAccessException e) {
            log.debug(
                    "dead letter claim not released claim={} error={}",
                    claim,
                    e.getClass().getName());
        }
    }

    private static ConsumerRecord<byte[], byte[]> raw(ConsumerRecord<String, byte[]> record) {
        byte[] key = record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8);
        return new ConsumerRecord<>(
                record.topic(),
                record.partition(),
                record.offset(),
                record.timestamp(),
                record.timestampType(),
                key == null ? -1 : key.length,
                record.value() == null ? -1 : record.value().length,
                key,
                record.value(),
                record.headers(),
                Optional.empty());
    }
}
