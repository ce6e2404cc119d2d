package io.tokencast.refresher.publish;

import io.tokencast.schema.EventCodec;
import io.tokencast.schema.EventDecodingException;
import io.tokencast.schema.InvalidTokenKeyException;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
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
    public Map<TokenKey, TokenRefreshed> readToEnd() {
        Map<TokenKey, TokenRefreshed> latest = new HashMap<>();
        reader.readToEnd(record -> apply(latest, record), message -> new PublishException(message, null));
        return latest;
    }

    private void apply(Map<TokenKey, TokenRefreshed> latest, ConsumerRecord<String, byte[]> record) {
        TokenKey key;
        try {
            key = TokenKey.parse(record.key());
        } catch (InvalidTokenKeyException e) {
            log.warn(
                    "skipped record with invalid key topic={} offset={} problem={}",
                    topic,
                    record.offset(),
                    e.getMessage());
            return;
        }
        if (record.value() == null) {
            latest.remove(key);
            return;
        }
        try {
            TokenRefreshed event = codec.decode(record.value(), TokenRefreshed.class);
            latest.merge(key, event, (a, b) -> b.version() > a.version() ? b : a);
        } catch (EventDecodingException e) {
            log.warn(
                    "skipped unreadable record topic={} key={} offset={} problem={}",
                    topic,
                    key,
                    record.offset(),
                    e.getMessage());
        }
    }
}
