package io.tokencast.refresher.refresh;

import io.tokencast.refresher.fleet.TopicTail;
import io.tokencast.refresher.leader.KeyLocks;
import io.tokencast.refresher.metrics.RefreshMetrics;
import io.tokencast.refresher.publish.EventPublisher;
import io.tokencast.refresher.publish.PoisonRecords;
import io.tokencast.refresher.publish.PublishException;
import io.tokencast.refresher.signing.RecordRejectedException;
import io.tokencast.refresher.signing.RecordSigning;
import io.tokencast.refresher.signing.RecordSource;
import io.tokencast.refresher.store.StoredToken;
import io.tokencast.refresher.store.TokenStore;
import io.tokencast.schema.EventDecodingException;
import io.tokencast.schema.InvalidTokenKeyException;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replay rule (docs/security.md §4, "Replay"): compaction keeps a key's last record, not its highest
 * version, so the refresher follows its tokens topic and watches the last record of every key it manages. When
 * that record fails verification, is no token (a bare tombstone, another record type) or is older than the
 * version Redis holds, the leader publishes Redis's current version again with reason {@code RECOVERY}: counted
 * in {@code tokencast.topic.republished{topic,cause}} and logged as a WARN. A discrepancy is acted on when two
 * ticks in a row see it, so a version still on its way to the topic is not published twice. A record that fails
 * verification or decoding is poison: the leader also copies it to the dead-letter topic, once ({@link
 * PoisonRecords}). Thread-safe: the tail's thread records, the tick decides.
 */
final class TopicReplay implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TopicReplay.class);

    /** Why a key's last record on the topic needs the current version after it. */
    enum Cause {
        /** It failed verification. */
        REJECTED,
        /** It verified but is no {@code TokenRefreshed} this refresher can read (e.g. a stale retirement). */
        UNREADABLE,
        /** A bare tombstone. */
        TOMBSTONE,
        /** A genuine record older than the version Redis holds (a replay, or a lost publication). */
        OLDER_VERSION
    }

    /** The last record seen for a key: its sequence number in this tail, and what it was. */
    private record Last(long sequence, Cause cause, long version) {}

    private final Predicate<TokenKey> managed;
    private final RecordSigning signing;
    private final TokenStore store;
    private final KeyLocks locks;
    private final EventPublisher publisher;
    private final Publication publication;
    private final RefreshMetrics metrics;
    private final Clock clock;
    private final String instanceId;
    private final String topic;
    private final PoisonRecords poison;
    private final Map<TokenKey, Last> last = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    // Touched by the tick only (under the scheduler's monitor).
    private final Map<TokenKey, Long> seenOnce = new ConcurrentHashMap<>();
    private final Map<TokenKey, Long> handled = new ConcurrentHashMap<>();
    private TopicTail tail;

    TopicReplay(
            Predicate<TokenKey> managed,
            RecordSigning signing,
            TokenStore store,
            KeyLocks locks,
            EventPublisher publisher,
            Publication publication,
            RefreshMetrics metrics,
            Clock clock,
            String instanceId,
            String topic,
            PoisonRecords poison) {
        this.poison = poison;
        this.managed = managed;
        this.signing = signing;
        this.store = store;
        this.locks = locks;
        this.publisher = publisher;
        this.publication = publication;
        this.metrics = metrics;
        this.clock = clock;
        this.instanceId = instanceId;
        this.topic = topic;
    }

    /** Starts following the topic from its beginning with a tail from {@code tails}. */
    TopicReplay start(Function<Consumer<ConsumerRecord<String, byte[]>>, TopicTail> tails) {
        this.tail = tails.apply(this::apply).start();
        return this;
    }

    /** Takes one record of the tokens topic; never throws. */
    void apply(ConsumerRecord<String, byte[]> record) {
        TokenKey key;
        try {
            key = TokenKey.parse(record.key());
        } catch (InvalidTokenKeyException | NullPointerException e) {
            return; // not a token key: no key this refresher manages
        }
        if (!managed.test(key)) {
            return;
        }
        long seq = sequence.incrementAndGet();
        if (record.value() == null) {
            last.put(key, new Last(seq, Cause.TOMBSTONE, 0));
            return;
        }
        try {
            TokenRefreshed event =
                    signing.read(record.value(), record.key(), TokenRefreshed.class, RecordSource.TOKENS_TOPIC);
            last.put(key, new Last(seq, null, event.version()));
        } catch (RecordRejectedException e) {
            last.put(key, new Last(seq, Cause.REJECTED, 0));
            poison.offer(record, e.verdict().name(), e.getMessage());
        } catch (EventDecodingException e) {
            last.put(key, new Last(seq, Cause.UNREADABLE, 0));
            poison.offer(record, e.problem().name(), e.getMessage());
        }
    }

    /**
     * On the leader, once per tick: publishes again the current version of every key whose last record needs it.
     *
     * @param observed what Redis holds, read this tick
     * @param stillLeading asked before each publication
     */
    void check(Map<TokenKey, StoredToken> observed, BooleanSupplier stillLeading) {
        poison.drain(stillLeading);
        if (tail == null || !tail.isCaughtUp()) {
            return; // an old prefix of the topic says nothing about its last records
        }
        last.forEach((key, seen) -> {
            StoredToken stored = observed.get(key);
            Optional<Cause> cause = cause(seen, stored);
            if (cause.isEmpty() || Objects.equals(handled.get(key), seen.sequence()) || publication.isPending(key)) {
                seenOnce.remove(key);
                return;
            }
            if (!Objects.equals(seenOnce.put(key, seen.sequence()), seen.sequence())) {
                return; // first sight: a version may still be on its way to the topic
            }
            if (!stillLeading.getAsBoolean()) {
                return;
            }
            // Not done when the key is locked (a refresh publishes meanwhile) or the broker refused: next tick.
            if (locks.withLock(key, () -> republish(key, cause.get())).orElse(false)) {
                handled.put(key, seen.sequence());
                seenOnce.remove(key);
            }
        });
    }

    private static Optional<Cause> cause(Last seen, StoredToken stored) {
        if (seen.cause() != null) {
            return Optional.of(seen.cause());
        }
        TokenRefreshed current = stored == null ? null : stored.token();
        return current != null && seen.version() < current.version()
                ? Optional.of(Cause.OLDER_VERSION)
                : Optional.empty();
    }

    private boolean republish(TokenKey key, Cause cause) {
        StoredToken stored = store.read(key);
        TokenRefreshed current = stored.token();
        if (current == null || !stored.validAt(clock.instant())) {
            // Nothing current to put back; the next refresh publishes a new version anyway.
            return true;
        }
        try {
            publisher.publish(signing.sign(Recovery.recovered(current, instanceId)));
        } catch (PublishException e) {
            log.warn("republish failed key={} cause={} action=retry-next-tick error={}", key, cause, e.getMessage());
            return false;
        }
        metrics.republished(topic, cause.name());
        log.warn(
                "last record on {} needed the current version key={} cause={} republished={} fingerprint={}"
                        + " reason=RECOVERY",
                topic,
                key,
                cause,
                current.version(),
                current.fingerprint());
        return true;
    }

    @Override
    public void close() {
        if (tail != null) {
            tail.close();
        }
    }
}
