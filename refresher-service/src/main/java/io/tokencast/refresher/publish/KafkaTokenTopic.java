package io.tokencast.refresher.publish;

import io.tokencast.refresher.signing.RecordRejectedException;
import io.tokencast.refresher.signing.RecordSigning;
import io.tokencast.refresher.signing.RecordSource;
import io.tokencast.refresher.signing.SignedEvent;
import io.tokencast.schema.EventDecodingException;
import io.tokencast.schema.InvalidTokenKeyException;
import io.tokencast.schema.LogText;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.schema.TokenRetired;
import io.tokencast.schema.TokencastEvent;
import io.tokencast.topics.TopicReader;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link TokenTopic} read to its end with a {@link TopicReader}; the newest version of a key wins. */
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
        TokenKey key;
        try {
            key = TokenKey.parse(record.key());
        } catch (InvalidTokenKeyException e) {
            log.warn(
                    "skipped record with invalid key topic={} offset={} key=\"{}\" problem=INVALID_KEY",
                    topic,
                    record.offset(),
                    LogText.of(record.key(), 80));
            return;
        }
        if (!wanted.test(key)) {
            return;
        }
        if (record.value() == null) {
            latest.remove(key);
            return;
        }
        try {
            TokencastEvent read = signing.readAny(record.value(), record.key(), RecordSource.TOKENS_TOPIC);
            if (read instanceof TokenRetired) {
                // Retired after every version before it; a version written after it (registered again) counts.
                latest.remove(key);
                return;
            }
            if (!(read instanceof TokenRefreshed event)) {
                log.warn(
                        "skipped record of another type topic={} key={} offset={} type={}",
                        topic,
                        key,
                        record.offset(),
                        read.type());
                return;
            }
            if (!event.tokenKey().equals(key)) {
                // Restoring it would put one key's token under another's name (docs/design.md §5.3).
                log.warn(
                        "skipped record whose tokenKey differs from its key topic={} key={} offset={}"
                                + " problem=KEY_MISMATCH",
                        topic,
                        key,
                        record.offset());
                return;
            }
            latest.merge(
                    key,
                    new SignedEvent<>(event, record.value()),
                    (a, b) -> b.event().version() > a.event().version() ? b : a);
        } catch (RecordRejectedException e) {
            // Logged and counted by the verifier; a rejected record never wins, whatever version it claims.
        } catch (EventDecodingException e) {
            log.warn(
                    "skipped unreadable record topic={} key={} offset={} problem={} detail=\"{}\"",
                    topic,
                    key,
                    record.offset(),
                    e.problem(),
                    LogText.of(e.getMessage(), 300));
        }
    }
}
