package io.tokencast.refresher.service.refresh;

import io.tokencast.refresher.leader.KeyLocks;
import io.tokencast.refresher.metrics.RefreshMetrics;
import io.tokencast.refresher.publish.EventPublisher;
import io.tokencast.refresher.publish.PublishException;
import io.tokencast.refresher.refresh.Publication;
import io.tokencast.refresher.refresh.Recovery;
import io.tokencast.refresher.service.publish.PoisonRecords;
import io.tokencast.refresher.service.publish.ReplayRule;
import io.tokencast.refresher.service.publish.ReplayRule.Cause;
import io.tokencast.refresher.service.publish.ReplayRule.Reading;
import io.tokencast.refresher.service.publish.ReplayRule.Republished;
import io.tokencast.refresher.service.publish.TopicTail;
import io.tokencast.refresher.signing.RecordSigning;
import io.tokencast.refresher.store.StoredToken;
import io.tokencast.refresher.store.TokenStore;
import io.tokencast.schema.InvalidTokenKeyException;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.trust.records.Interpretation;
import io.tokencast.trust.records.Interpretation.Rejected;
import io.tokencast.trust.records.Interpretation.Version;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ReplayRule} on the tokens topic: the last record of every key this refresher manages is watched, and
 * the leader's tick publishes Redis's current version again, with reason {@code RECOVERY} and under the key's lock,
 * after a last record that needs it; logged as a WARN. A version whose publication failed and waits for a retry
 * ({@link Publication#isPending}) is left to that retry.
 */
final class TopicReplay implements ReplayRule.Subject<TokenKey>, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TopicReplay.class);

    private final Predicate<TokenKey> managed;
    private final RecordSigning signing;
    private final TokenStore store;
    private final KeyLocks locks;
    private final EventPublisher publisher;
    private final Publication publication;
    private final Clock clock;
    private final String instanceId;
    private final String topic;
    private final ReplayRule<TokenKey> rule;

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
        this.managed = managed;
        this.signing = signing;
        this.store = store;
        this.locks = locks;
        this.publisher = publisher;
        this.publication = publication;
        this.clock = clock;
        this.instanceId = instanceId;
        this.topic = topic;
        this.rule = new ReplayRule<>(this, topic, metrics, poison);
    }

    /** Starts following the topic from its beginning with a tail from {@code tails}. */
    TopicReplay start(Function<Consumer<ConsumerRecord<String, byte[]>>, TopicTail> tails) {
        rule.start(tails);
        return this;
    }

    /**
     * On the leader, once per tick: publishes again the current version of every key whose last record needs it.
     *
     * @param observed what Redis holds, read this tick
     * @param stillLeading asked before each publication
     */
    void check(Map<TokenKey, StoredToken> observed, BooleanSupplier stillLeading) {
        rule.check(key -> held(observed.get(key), key), stillLeading);
    }

    private OptionalLong held(StoredToken stored, TokenKey key) {
        TokenRefreshed current = stored == null ? null : stored.token();
        return current == null || publication.isPending(key)
                ? OptionalLong.empty()
                : OptionalLong.of(current.version());
    }

    @Override
    public Optional<TokenKey> key(String recordKey) {
        try {
            TokenKey key = TokenKey.parse(recordKey);
            return managed.test(key) ? Optional.of(key) : Optional.empty();
        } catch (InvalidTokenKeyException | NullPointerException e) {
            return Optional.empty(); // not a token key: no key this refresher manages
        }
    }

    @Override
    public Reading read(String recordKey, byte[] value) {
        // Read as the restore from the topic reads it (RecordSigning#tokenRecord): the position is not needed here.
        Interpretation<TokenKey, TokenRefreshed> read = signing.tokenRecord(recordKey, value, -1, -1);
        if (read instanceof Version<TokenKey, TokenRefreshed> version) {
            return Reading.version(version.event().version());
        }
        // A retirement of a key still managed is stale: no version this refresher can read.
        return read instanceof Rejected<TokenKey, TokenRefreshed> rejected
                ? Reading.of(rejected)
                : Reading.needs(Cause.UNREADABLE);
    }

    @Override
    public Republished republish(TokenKey key, Cause cause) {
        // Not done when the key is locked (a refresh publishes meanwhile) or the broker refused: next tick.
        return locks.withLock(key, () -> republishLocked(key, cause)).orElse(Republished.NOT_NOW);
    }

    private Republished republishLocked(TokenKey key, Cause cause) {
        StoredToken stored = store.read(key);
        TokenRefreshed current = stored.token();
        if (current == null || !stored.validAt(clock.instant())) {
            // Nothing current to put back; the next refresh publishes a new version anyway.
            return Republished.NOTHING_TO_PUBLISH;
        }
        try {
            publisher.publish(signing.sign(Recovery.recovered(current, instanceId)));
        } catch (PublishException e) {
            log.warn("republish failed key={} cause={} action=retry-next-tick error={}", key, cause, e.getMessage());
            return Republished.NOT_NOW;
        }
        log.warn(
                "last record on {} needed the current version key={} cause={} republished={} fingerprint={}"
                        + " reason=RECOVERY",
                topic,
                key,
                cause,
                current.version(),
                current.fingerprint());
        return Republished.PUBLISHED;
    }

    @Override
    public void close() {
        rule.close();
    }
}
