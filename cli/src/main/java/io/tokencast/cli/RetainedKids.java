package io.tokencast.cli;

import io.tokencast.schema.CredentialStored;
import io.tokencast.schema.LogText;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.schema.TokencastEvent;
import io.tokencast.topics.TopicReader;
import io.tokencast.trust.encryption.RecordEncryption;
import io.tokencast.trust.records.Interpretation;
import io.tokencast.trust.records.Interpretation.Rejected;
import io.tokencast.trust.records.Interpretation.Retired;
import io.tokencast.trust.records.Interpretation.Version;
import io.tokencast.trust.records.RecordInterpreter;
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

    private final Map<String, Object> kafka;
    private final Duration timeout;

    /** @param kafka consumer settings: bootstrap servers and security */
    RetainedKids(Map<String, Object> kafka, Duration timeout) {
        this.kafka = kafka;
        this.timeout = timeout;
    }

    /**
     * The usage of every retained record of {@code topic}, by pair of kids; empty when the topic does not exist.
     * Each record is read by {@code interpreter}, as the consumer library and the refresher read it, and checked
     * against its key set even when it breaks another rule, so that the report still names its signer.
     *
     * @throws IllegalStateException when the topic cannot be read to its end within the timeout
     */
    Map<Usage, Count> scan(String topic, RecordInterpreter<?, ?> interpreter) {
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
                    Usage usage = record.value() == null
                            ? null
                            : usage(interpreter, record.key(), record.value(), record.partition(), record.offset());
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

    private static <K, T extends TokencastEvent> Usage usage(
            RecordInterpreter<K, T> interpreter, String key, byte[] value, int partition, long offset) {
        Interpretation<K, T> decoded = interpreter.decode(key, value, partition, offset);
        String signedBy = interpreter.verifies() ? signedBy(interpreter.verify(decoded)) : "(not checked)";
        return new Usage(signedBy, encryptedWith(decoded));
    }

    private static String signedBy(Interpretation<?, ?> checked) {
        Verification verification = checked instanceof Version<?, ?> version
                ? version.verification()
                : checked instanceof Retired<?, ?> retired
                        ? retired.verification()
                        : ((Rejected<?, ?>) checked).verification();
        if (verification == null) {
            return "(" + ((Rejected<?, ?>) checked).code() + ")"; // no key to check it under
        }
        if (verification.isVerified()) {
            return verification.kid();
        }
        // A kid this set lacks is still worth naming: it is what an old key's records look like.
        String kid = verification.kid() == null ? "" : LogText.of(verification.kid(), 60) + " ";
        return kid + "(" + verification.verdict() + ")";
    }

    private static String encryptedWith(Interpretation<?, ?> decoded) {
        if (decoded instanceof Version<?, ?> version) {
            return (version.event() instanceof TokenRefreshed token
                            ? RecordEncryption.kid(token)
                            : RecordEncryption.kid((CredentialStored) version.event()))
                    .orElse("(plaintext)");
        }
        if (decoded instanceof Retired<?, ?>) {
            return "(retirement)";
        }
        Rejected<?, ?> rejected = (Rejected<?, ?>) decoded;
        return rejected.reason() == Interpretation.Reason.UNDECODABLE ? "(undecodable)" : "(" + rejected.code() + ")";
    }
}
