package io.tokencast.cli;

import io.tokencast.schema.CredentialStored;
import io.tokencast.schema.EventCodec;
import io.tokencast.schema.EventDecodingException;
import io.tokencast.schema.LogText;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.schema.TokenRetired;
import io.tokencast.schema.TokencastEvent;
import io.tokencast.topics.TopicReader;
import io.tokencast.trust.encryption.RecordEncryption;
import io.tokencast.trust.signing.RecordVerifier;
import io.tokencast.trust.signing.Verification;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Which kids the records a compacted topic still retains use (docs/operations.md §3.3, and for encryption
 * docs/operations.md §3.4): every record from the start to the end offsets taken when the scan starts (a {@link
 * TopicReader} read), by the refresher kid its signature verifies
 * under and the encryption kid of its envelope. A key's last record is its current one; the older ones stay
 * until compaction removes them. A kid leaves the key sets only when no retained record uses it. No consumer
 * group; reads only.
 */
final class RetainedKids {

    /** The kids of one record: who signed it, and what it is encrypted under. */
    record Usage(String signedBy, String encryptedWith) implements Comparable<Usage> {
        @Override
        public int compareTo(Usage other) {
            int bySigner = signedBy.compareTo(other.signedBy);
            return bySigner != 0 ? bySigner : encryptedWith.compareTo(other.encryptedWith);
        }
    }

    /** How many keys' current records, and how many older retained records, use a pair of kids. */
    record Count(int current, int older) {}

    private final EventCodec codec = EventCodec.json();
    private final Map<String, Object> kafka;
    private final RecordVerifier verifier;
    private final Duration timeout;

    /**
     * @param kafka consumer settings: bootstrap servers and security
     * @param verifier the refresher key set, or null when signatures are not checked
     */
    RetainedKids(Map<String, Object> kafka, RecordVerifier verifier, Duration timeout) {
        this.kafka = kafka;
        this.verifier = verifier;
        this.timeout = timeout;
    }

    /**
     * The usage of every retained record of {@code topic}, by pair of kids; empty when the topic does not exist.
     *
     * @throws IllegalStateException when the topic cannot be read to its end within the timeout
     */
    Map<Usage, Count> scan(String topic) {
        Map<String, Usage> last = new HashMap<>();
        Map<Usage, Integer> all = new TreeMap<>();
        Map<String, Object> config = new HashMap<>(kafka);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // A report must not create the topic it reports on (a credentials topic where no open platform runs).
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        TopicReader reader = new TopicReader(() -> new KafkaConsumer<String, byte[]>(config), topic, timeout);
        boolean exists = reader.readToEnd(
                record -> {
                    if (record.key() == null) {
                        return;
                    }
                    Usage usage = record.value() == null ? null : usage(record.key(), record.value());
                    last.put(record.key(), usage);
                    if (usage != null) {
                        all.merge(usage, 1, Integer::sum);
                    }
                },
                IllegalStateException::new);
        if (!exists) {
            return Map.of();
        }
        Map<Usage, Integer> current = new HashMap<>();
        last.values().stream().filter(u -> u != null).forEach(u -> current.merge(u, 1, Integer::sum));
        Map<Usage, Count> counts = new TreeMap<>();
        all.forEach((usage, n) -> {
            int now = current.getOrDefault(usage, 0);
            counts.put(usage, new Count(now, n - now));
        });
        return counts;
    }

    private Usage usage(String key, byte[] value) {
        String signedBy = "(not checked)";
        if (verifier != null) {
            Verification verification = verifier.verify(value, key);
            // A kid this set lacks is still worth naming: it is what an old key's records look like.
            String kid = verification.kid() == null ? "" : LogText.of(verification.kid(), 60) + " ";
            signedBy = verification.isVerified() ? verification.kid() : kid + "(" + verification.verdict() + ")";
        }
        String encryptedWith;
        try {
            TokencastEvent event = codec.decode(value);
            if (event instanceof TokenRefreshed token) {
                encryptedWith = RecordEncryption.kid(token).orElse("(plaintext)");
            } else if (event instanceof CredentialStored credential) {
                encryptedWith = RecordEncryption.kid(credential).orElse("(plaintext)");
            } else if (event instanceof TokenRetired) {
                encryptedWith = "(retirement)";
            } else {
                encryptedWith = "(" + event.getClass().getSimpleName() + ")";
            }
        } catch (EventDecodingException e) {
            encryptedWith = "(undecodable)";
        }
        return new Usage(signedBy, encryptedWith);
    }
}
