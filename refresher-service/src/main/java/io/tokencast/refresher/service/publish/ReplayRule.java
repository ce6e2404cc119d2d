package io.tokencast.refresher.service.publish;

import io.tokencast.refresher.metrics.RefreshMetrics;
import io.tokencast.trust.records.Interpretation.Rejected;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The replay rule (docs/security.md §4, "Replay"), one for the tokens and the credentials topic: compaction keeps a
 * key's last record, not its highest version, so the refresher follows the topic and watches the last record of
 * every key its store keeps. When that record failed verification, is no version (a bare tombstone, a retirement,
 * another type) or is older than the version the store holds, the leader publishes the store's copy again, counted
 * in {@code tokencast.topic.republished{topic,cause}}. A record that fails verification or decoding is poison: the
 * leader also copies it to the dead-letter topic, once ({@link PoisonRecords}).
 *
 * <p>A discrepancy is acted on only if, at a later check, it is still there once the tail has read everything the
 * topic held when it was first seen (end offsets taken then, {@link TopicTail#requestSync}): a version on its way
 * to the topic, or one a lagging tail has not read yet, is never published twice. Thread-safe: the tail's thread
 * records, the checks decide.
 *
 * @param <K> the key the topic's records are about
 */
public final class ReplayRule<K> implements AutoCloseable {

    /** Why a key's last record on the topic needs the store's copy after it; the meter's {@code cause} tag. */
    public enum Cause {
        /** It failed verification. */
        REJECTED,
        /** It verified but is no version this refresher can read (another type, a stale retirement on tokens). */
        UNREADABLE,
        /** A bare tombstone. */
        TOMBSTONE,
        /** A retirement of a credential the store still holds. */
        RETIRED,
        /** A genuine record older than the version the store holds (a replay, or a lost publication). */
        OLDER_VERSION
    }

    /**
     * What a record of a kept key says: a version, or why it needs the store's copy after it.
     *
     * @param problem the code under which it is poison ({@link PoisonRecords}); null when it is none
     * @param message names the rule it broke, never a value; null when it is no poison
     */
    public record Reading(long version, Cause cause, String problem, String message) {
        public static Reading version(long version) {
            return new Reading(version, null, null, null);
        }

        public static Reading needs(Cause cause) {
            return new Reading(0, cause, null, null);
        }

        /**
         * A record the shared interpreter rejected: poison when it failed verification ({@link Cause#REJECTED}) or
         * decoding ({@link Cause#UNREADABLE}); another key's record with signatures off is no version of this key,
         * and no poison either (the restore skips it as well).
         */
        public static Reading of(Rejected<?, ?> rejected) {
            return switch (rejected.reason()) {
                case UNVERIFIED -> new Reading(0, Cause.REJECTED, rejected.code(), rejected.detail());
                case UNDECODABLE -> new Reading(0, Cause.UNREADABLE, rejected.code(), rejected.detail());
                default -> needs(Cause.UNREADABLE);
            };
        }
    }

    /** What a republication came to. */
    public enum Republished {
        PUBLISHED,
        /** The store has nothing current to put back: done with this record all the same. */
        NOTHING_TO_PUBLISH,
        /** Not now (the key is busy, the broker or the store away): the next check tries again. */
        NOT_NOW
    }

    /** The topic's own side of the rule: its keys, its records, and how the store's copy is published again. */
    public interface Subject<K> {

        /** The kept key {@code recordKey} names; empty for a record about no key kept here. */
        Optional<K> key(String recordKey);

        /** What a record's value says, as the interpreter every reader shares reads it; never throws for bad input. */
        Reading read(String recordKey, byte[] value);

        /** Publishes the store's current copy of {@code key} again, after a last record that needed it. */
        Republished republish(K key, Cause cause);
    }

    /** The last record seen for a key: its sequence number in this tail, and what it said. */
    private record Last(long sequence, Cause cause, long version) {}

    /** A discrepancy seen once: at which record, and the sync that tells what the topic held then. */
    private record FirstSight(long sequence, long syncTicket) {}

    private final Subject<K> subject;
    private final String topic;
    private final RefreshMetrics metrics;
    private final PoisonRecords poison;
    private final Map<K, Last> last = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final Map<K, FirstSight> seenOnce = new ConcurrentHashMap<>();
    private final Map<K, Long> handled = new ConcurrentHashMap<>();
    private volatile TopicTail tail;

    public ReplayRule(Subject<K> subject, String topic, RefreshMetrics metrics, PoisonRecords poison) {
        this.subject = subject;
        this.topic = topic;
        this.metrics = metrics;
        this.poison = poison;
    }

    /** Starts following the topic from its beginning with a tail from {@code tails}. */
    public ReplayRule<K> start(Function<Consumer<ConsumerRecord<String, byte[]>>, TopicTail> tails) {
        this.tail = tails.apply(this::apply).start();
        return this;
    }

    /** Takes one record of the topic; never throws for a bad record. */
    public void apply(ConsumerRecord<String, byte[]> record) {
        Optional<K> kept = subject.key(record.key());
        if (kept.isEmpty()) {
            return;
        }
        K key = kept.get();
        long seq = sequence.incrementAndGet();
        if (record.value() == null) {
            last.put(key, new Last(seq, Cause.TOMBSTONE, 0));
            return;
        }
        Reading reading = subject.read(record.key(), record.value());
        last.put(key, new Last(seq, reading.cause(), reading.version()));
        if (reading.problem() != null) {
            poison.offer(record, reading.problem(), reading.message());
        }
    }

    /**
     * On the leader, once per check: publishes the store's copy again for every key whose last record needs it.
     *
     * @param held the version the store holds for a key and the topic should end with; empty when it holds none
     *     or its own publication is still on its way. When it throws, the key waits for the next check
     * @param stillLeading asked before each publication
     */
    public void check(Function<K, OptionalLong> held, BooleanSupplier stillLeading) {
        poison.drain(stillLeading);
        TopicTail following = tail;
        if (following == null || !following.isCaughtUp()) {
            return; // an old prefix of the topic says nothing about its last records
        }
        long ticket = 0;
        for (Map.Entry<K, Last> entry : last.entrySet()) {
            K key = entry.getKey();
            Last seen = entry.getValue();
            Optional<Cause> cause;
            try {
                cause = handled.getOrDefault(key, 0L) == seen.sequence()
                        ? Optional.empty()
                        : cause(seen, held.apply(key));
            } catch (RuntimeException e) {
                continue; // the store is away: next check
            }
            if (cause.isEmpty()) {
                seenOnce.remove(key);
                continue;
            }
            FirstSight first = seenOnce.get(key);
            if (first == null || first.sequence() != seen.sequence()) {
                if (ticket == 0) {
                    ticket = following.requestSync();
                }
                seenOnce.put(key, new FirstSight(seen.sequence(), ticket));
                continue; // first sight: a version may still be on its way, or the tail behind the topic
            }
            if (!following.hasSynced(first.syncTicket()) || last.get(key).sequence() != seen.sequence()) {
                continue; // the topic held more when it was first seen than the tail had read then
            }
            if (!stillLeading.getAsBoolean()) {
                return;
            }
            Republished result = subject.republish(key, cause.get());
            if (result == Republished.NOT_NOW) {
                continue;
            }
            handled.put(key, seen.sequence());
            seenOnce.remove(key);
            if (result == Republished.PUBLISHED) {
                metrics.republished(topic, cause.get().name());
            }
        }
    }

    private static Optional<Cause> cause(Last seen, OptionalLong held) {
        if (held.isEmpty()) {
            return Optional.empty();
        }
        if (seen.cause() != null) {
            return Optional.of(seen.cause());
        }
        return seen.version() < held.getAsLong() ? Optional.of(Cause.OLDER_VERSION) : Optional.empty();
    }

    @Override
    public void close() {
        TopicTail following = tail;
        if (following != null) {
            following.close();
        }
    }
}
