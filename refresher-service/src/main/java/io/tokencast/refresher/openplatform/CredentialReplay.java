package io.tokencast.refresher.openplatform;

import io.tokencast.refresher.fleet.TopicTail;
import io.tokencast.refresher.leader.Leadership;
import io.tokencast.refresher.metrics.RefreshMetrics;
import io.tokencast.refresher.publish.PoisonRecords;
import io.tokencast.refresher.signing.RecordRejectedException;
import io.tokencast.refresher.signing.RecordSigning;
import io.tokencast.refresher.signing.RecordSource;
import io.tokencast.refresher.signing.SignedEvent;
import io.tokencast.schema.CredentialStored;
import io.tokencast.schema.EventDecodingException;
import io.tokencast.schema.TokenRetired;
import io.tokencast.schema.TokencastEvent;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replay rule on the credentials topic (docs/security.md §4.3): the refresher follows the topic, and when the
 * last record of a credential the vault holds fails verification, is no credential (a bare tombstone, a stale
 * retirement) or is older than the vault's version, the leader publishes the vault's signed record again,
 * counted in {@code tokencast.topic.republished{topic,cause}} and logged as a WARN, once two checks in a row see
 * it. Otherwise compaction would keep the forgery, and a vault rebuilt from the topic would lose the
 * credential WeChat gives only once. A record that fails verification or decoding is poison: the leader also
 * copies it to the dead-letter topic, once ({@link PoisonRecords}). Thread-safe: the tail's thread records,
 * {@link #check} decides.
 */
final class CredentialReplay implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CredentialReplay.class);

    /** Why a credential's last record on the topic needs the vault's copy after it. */
    enum Cause {
        REJECTED,
        UNREADABLE,
        TOMBSTONE,
        RETIRED,
        OLDER_VERSION
    }

    private record Last(long sequence, Cause cause, long version) {}

    private final CredentialVault vault;
    private final CredentialTopic topic;
    private final RecordSigning signing;
    private final Leadership leadership;
    private final RefreshMetrics metrics;
    private final String topicName;
    private final PoisonRecords poison;
    private final Map<String, Last> last = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final Map<String, Long> seenOnce = new ConcurrentHashMap<>();
    private final Map<String, Long> handled = new ConcurrentHashMap<>();
    private final ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tokencast-credential-replay");
        t.setDaemon(true);
        return t;
    });
    private TopicTail tail;

    CredentialReplay(
            CredentialVault vault,
            CredentialTopic topic,
            RecordSigning signing,
            Leadership leadership,
            RefreshMetrics metrics,
            String topicName,
            PoisonRecords poison) {
        this.poison = poison;
        this.vault = vault;
        this.topic = topic;
        this.signing = signing;
        this.leadership = leadership;
        this.metrics = metrics;
        this.topicName = topicName;
    }

    /** Follows the topic with a tail from {@code tails} and checks {@code every} so often, on a thread of its own. */
    CredentialReplay start(Function<Consumer<ConsumerRecord<String, byte[]>>, TopicTail> tails, Duration every) {
        this.tail = tails.apply(this::apply).start();
        checks.scheduleWithFixedDelay(this::checkSafely, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void checkSafely() {
        try {
            check();
        } catch (RuntimeException e) {
            log.warn("credential replay check failed action=retry error={}", e.toString());
        }
    }

    /** Takes one record of the credentials topic; never throws. */
    void apply(ConsumerRecord<String, byte[]> record) {
        String key = record.key();
        if (key == null || key.length() > io.tokencast.schema.Ranges.MAX_KEY_CHARS) {
            return;
        }
        long seq = sequence.incrementAndGet();
        if (record.value() == null) {
            last.put(key, new Last(seq, Cause.TOMBSTONE, 0));
            return;
        }
        try {
            TokencastEvent event = signing.readAny(record.value(), key, RecordSource.CREDENTIALS_TOPIC);
            if (event instanceof CredentialStored credential) {
                last.put(key, new Last(seq, null, credential.version() == null ? 0 : credential.version()));
            } else {
                last.put(key, new Last(seq, event instanceof TokenRetired ? Cause.RETIRED : Cause.UNREADABLE, 0));
            }
        } catch (RecordRejectedException e) {
            last.put(key, new Last(seq, Cause.REJECTED, 0));
            poison.offer(record, e.verdict().name(), e.getMessage());
        } catch (EventDecodingException e) {
            last.put(key, new Last(seq, Cause.UNREADABLE, 0));
            poison.offer(record, e.problem().name(), e.getMessage());
        }
    }

    /** On the leader: publishes again the vault's copy of every credential whose last record needs it. */
    void check() {
        poison.drain(leadership::isLeader);
        if (tail == null || !tail.isCaughtUp() || !leadership.isLeader()) {
            return;
        }
        last.forEach((key, seen) -> {
            if (Objects.equals(handled.get(key), seen.sequence())) {
                return;
            }
            Optional<SignedEvent<CredentialStored>> held;
            try {
                held = vault.held(key);
            } catch (CredentialVaultException e) {
                return; // Redis away: next time
            }
            Optional<Cause> cause = held.flatMap(h -> cause(seen, h.event()));
            if (cause.isEmpty()) {
                seenOnce.remove(key);
                return;
            }
            if (!Objects.equals(seenOnce.put(key, seen.sequence()), seen.sequence())) {
                return; // first sight: the vault may be publishing it right now
            }
            try {
                topic.publish(held.get());
            } catch (CredentialVaultException e) {
                log.warn("republish failed key={} cause={} action=retry error={}", key, cause.get(), e.getMessage());
                return;
            }
            handled.put(key, seen.sequence());
            seenOnce.remove(key);
            metrics.republished(topicName, cause.get().name());
            log.warn(
                    "last record on {} needed the vault's copy key={} cause={} republished={} fingerprint={}",
                    topicName,
                    key,
                    cause.get(),
                    held.get().event().version(),
                    held.get().event().fingerprint());
        });
    }

    private static Optional<Cause> cause(Last seen, CredentialStored held) {
        if (seen.cause() != null) {
            return Optional.of(seen.cause());
        }
        long version = held.version() == null ? 0 : held.version();
        return seen.version() < version ? Optional.of(Cause.OLDER_VERSION) : Optional.empty();
    }

    @Override
    public void close() {
        checks.shutdownNow();
        if (tail != null) {
            tail.close();
        }
    }
}
