package io.tokencast.refresher.service.openplatform;

import io.tokencast.refresher.leader.Leadership;
import io.tokencast.refresher.metrics.RefreshMetrics;
import io.tokencast.refresher.service.publish.PoisonRecords;
import io.tokencast.refresher.service.publish.ReplayRule;
import io.tokencast.refresher.service.publish.ReplayRule.Cause;
import io.tokencast.refresher.service.publish.ReplayRule.Reading;
import io.tokencast.refresher.service.publish.ReplayRule.Republished;
import io.tokencast.refresher.service.publish.TopicTail;
import io.tokencast.refresher.signing.RecordSigning;
import io.tokencast.refresher.signing.SignedEvent;
import io.tokencast.schema.CredentialStored;
import io.tokencast.schema.Ranges;
import io.tokencast.trust.records.Interpretation;
import io.tokencast.trust.records.Interpretation.Rejected;
import io.tokencast.trust.records.Interpretation.Version;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ReplayRule} on the credentials topic (docs/security.md §4.3): when the last record of a credential the
 * vault holds needs it, the leader publishes the vault's signed record again, logged as a WARN. Otherwise compaction
 * would keep the forgery, and a vault rebuilt from the topic would lose the credential WeChat gives only once. The
 * checks run on a thread of their own.
 */
final class CredentialReplay implements ReplayRule.Subject<String>, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CredentialReplay.class);

    private final CredentialVault vault;
    private final CredentialTopic topic;
    private final RecordSigning signing;
    private final Leadership leadership;
    private final String topicName;
    private final ReplayRule<String> rule;
    private final ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tokencast-credential-replay");
        t.setDaemon(true);
        return t;
    });

    CredentialReplay(
            CredentialVault vault,
            CredentialTopic topic,
            RecordSigning signing,
            Leadership leadership,
            RefreshMetrics metrics,
            String topicName,
            PoisonRecords poison) {
        this.vault = vault;
        this.topic = topic;
        this.signing = signing;
        this.leadership = leadership;
        this.topicName = topicName;
        this.rule = new ReplayRule<>(this, topicName, metrics, poison);
    }

    /** Follows the topic with a tail from {@code tails} and checks {@code every} so often, on a thread of its own. */
    CredentialReplay start(Function<Consumer<ConsumerRecord<String, byte[]>>, TopicTail> tails, Duration every) {
        rule.start(tails);
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

    /** On the leader: publishes again the vault's copy of every credential whose last record needs it. */
    void check() {
        if (!leadership.isLeader()) {
            return;
        }
        rule.check(
                key -> vault.held(key)
                        .map(h -> OptionalLong.of(version(h.event())))
                        .orElse(OptionalLong.empty()),
                leadership::isLeader);
    }

    @Override
    public Optional<String> key(String recordKey) {
        return recordKey == null || recordKey.length() > Ranges.MAX_KEY_CHARS
                ? Optional.empty()
                : Optional.of(recordKey);
    }

    @Override
    public Reading read(String recordKey, byte[] value) {
        // Read as the vault's rebuild reads it (RecordSigning#credentialRecord): the position is not needed here.
        Interpretation<String, CredentialStored> read = signing.credentialRecord(recordKey, value, -1, -1);
        if (read instanceof Version<String, CredentialStored> version) {
            return Reading.version(version(version.event()));
        }
        return read instanceof Rejected<String, CredentialStored> rejected
                ? Reading.of(rejected)
                : Reading.needs(Cause.RETIRED);
    }

    @Override
    public Republished republish(String key, Cause cause) {
        Optional<SignedEvent<CredentialStored>> held;
        try {
            held = vault.held(key);
            if (held.isEmpty()) {
                return Republished.NOTHING_TO_PUBLISH;
            }
            topic.publish(held.get());
        } catch (CredentialVaultException e) {
            log.warn("republish failed key={} cause={} action=retry error={}", key, cause, e.getMessage());
            return Republished.NOT_NOW;
        }
        log.warn(
                "last record on {} needed the vault's copy key={} cause={} republished={} fingerprint={}",
                topicName,
                key,
                cause,
                held.get().event().version(),
                held.get().event().fingerprint());
        return Republished.PUBLISHED;
    }

    private static long version(CredentialStored credential) {
        return credential.version() == null ? 0 : credential.version();
    }

    @Override
    public void close() {
        checks.shutdownNow();
        rule.close();
    }
}
