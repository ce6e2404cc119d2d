package io.tokencast.refresher.service.publish;

import io.tokencast.refresher.publish.PublishException;
import io.tokencast.refresher.publish.TokenTopic;
import io.tokencast.refresher.signing.RecordSigning;
import io.tokencast.refresher.signing.SignedEvent;
import io.tokencast.schema.InvalidTokenKeyException;
import io.tokencast.schema.LogText;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.topics.TopicReader;
import io.tokencast.trust.records.Interpretation;
import io.tokencast.trust.records.Interpretation.Rejected;
import io.tokencast.trust.records.Interpretation.Retired;
import io.tokencast.trust.records.Interpretation.Tombstone;
import io.tokencast.trust.records.Interpretation.Version;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link TokenTopic} read to its end with a {@link TopicReader}, each record read by the interpreter the consumer
 * library and the CLI share ({@link RecordSigning#tokenRecord}); the newest version of a key wins.
 */
public final class KafkaTokenTopic implements TokenTopic {

    private static final Logger log = LoggerFactory.getLogger(KafkaTokenTopic.class);

    private final TopicReader reader;
    private final String topic;
    private final RecordSigning signing;

    /** Reads {@code topic} with a new consumer from {@code consumers} each time (see {@link KafkaClientSettings#topicReader}). */
    public KafkaTokenTopic(
            Supplier<Consumer<String, byte[]>> consumers, String topic, Duration timeout, RecordSigning signing) {
        this.reader = new TopicReader(consumers, topic, timeout);
        this.topic = topic;
        this.signing = signing;
    }

    @Override
    public Map<TokenKey, SignedEvent<TokenRefreshed>> readToEnd(Predicate<TokenKey> wanted) {
        Map<TokenKey, SignedEvent<TokenRefreshed>> latest = new HashMap<>();
        reader.readToEnd(record -> apply(latest, wanted, record), message -> new PublishException(message, null));
        return latest;
    }

    /** Takes one record into {@code latest}, or skips it with a log line; never throws, whatever the record. */
    private void apply(
            Map<TokenKey, SignedEvent<TokenRefreshed>> latest,
            Predicate<TokenKey> wanted,
            ConsumerRecord<String, byte[]> record) {
        try {
            interpret(latest, wanted, record);
        } catch (RuntimeException e) {
            log.warn(
                    "skipped record topic={} partition={} offset={} problem=READER_ERROR error={}",
                    topic,
                    record.partition(),
                    record.offset(),
                    e.getClass().getName());
        }
    }

    private void interpret(
            Map<TokenKey, SignedEvent<TokenRefreshed>> latest,
            Predicate<TokenKey> wanted,
            ConsumerRecord<String, byte[]> record) {
        Optional<TokenKey> named = parse(record.key());
        if (named.isPresent() && !wanted.test(named.get())) {
            return; // before decoding: a recovery of one key reads the whole topic
        }
        Interpretation<TokenKey, TokenRefreshed> read =
                signing.tokenRecord(record.key(), record.value(), record.partition(), record.offset());
        if (read instanceof Version<TokenKey, TokenRefreshed> version) {
            latest.merge(
                    version.key(),
                    new SignedEvent<>(version.event(), version.raw()),
                    (a, b) -> b.event().version() > a.event().version() ? b : a);
        } else if (read instanceof Retired<TokenKey, TokenRefreshed> retired) {
            // Retired after every version before it; a version written after it (registered again) counts.
            latest.remove(retired.key());
        } else if (read instanceof Tombstone<TokenKey, TokenRefreshed> tombstone) {
            latest.remove(tombstone.key());
        } else if (read instanceof Rejected<TokenKey, TokenRefreshed> rejected
                && rejected.reason() != Interpretation.Reason.UNVERIFIED) {
            // A failed signature was logged and counted by the signing; a rejected record never wins.
            log.warn(
                    "skipped record topic={} partition={} offset={} key=\"{}\" problem={} detail=\"{}\"",
                    topic,
                    record.partition(),
                    record.offset(),
                    LogText.of(record.key(), 80),
                    rejected.code(),
                    LogText.of(rejected.detail(), 300));
        }
    }

    private static Optional<TokenKey> parse(String recordKey) {
        try {
            return Optional.of(TokenKey.parse(recordKey));
        } catch (InvalidTokenKeyException e) {
            return Optional.empty(); // the interpreter rejects it, and it is logged as such
        }
    }
}
