package io.tokencast.refresher.publish;

import io.tokencast.schema.EventCodec;
import io.tokencast.schema.EventDecodingException;
import io.tokencast.schema.InvalidTokenKeyException;
import io.tokencast.schema.LogText;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link TokenTopic} read to its end with a {@link CompactedTopicReader}; the newest version of a key wins. */
final class KafkaTokenTopic implements TokenTopic {

    private static final Logger log = LoggerFactory.getLogger(KafkaTokenTopic.class);

    private final CompactedTopicReader reader;
    private final String topic;
    private final EventCodec codec = EventCodec.json();

    KafkaTokenTopic(Supplier<Consumer<String, byte[]>> consumers, String topic, Duration timeout) {
        this.reader = new CompactedTopicReader(consumers, topic, timeout);
        this.topic = topic;
    }

    @Override
    public Map<TokenKey, TokenRefreshed> readToEnd(Predicate<TokenKey> wanted) {
        Map<TokenKey, TokenRefreshed> latest = new HashMap<>();
        reader.readToEnd(record -> apply(latest, wanted, record), message -> new PublishException(message, null));
        return latest;
    }

    /** Takes one record into {@code latest}, or skips it with a log line; never throws, whatever the record. */
    private void apply(
            Map<TokenKey, TokenRefreshed> latest, Predicate<TokenKey> wanted, ConsumerRecord<String, byte[]> record) {
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
            Map<TokenKey, TokenRefreshed> latest, Predicate<TokenKey> wanted, ConsumerRecord<String, byte[]> record) {
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
            TokenRefreshed event = codec.decode(record.value(), TokenRefreshed.class);
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
            latest.merge(key, event, (a, b) -> b.version() > a.version() ? b : a);
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
