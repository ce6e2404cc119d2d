package io.tokencast.cli.audit;

import io.tokencast.schema.DefaultTopics;
import io.tokencast.schema.EventCodec;
import io.tokencast.schema.EventDecodingException;
import io.tokencast.schema.RefreshAttempted;
import io.tokencast.topics.TopicReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the refresh history from the audit topic: the {@link RefreshAttempted} records of one key, or of
 * all keys, between two instants, in the order they happened. Each query is a {@link TopicReader} read from the
 * first record at the window's start to the end offsets taken when it starts; no consumer group.
 */
public final class AuditHistory {

    private static final Logger log = LoggerFactory.getLogger(AuditHistory.class);

    private final Properties kafka;
    private final String topic;
    private final Duration timeout;
    private final EventCodec codec = EventCodec.json();
    private final TopicReader reader;

    private AuditHistory(Builder builder) {
        this.topic = builder.topic;
        this.timeout = builder.timeout;
        this.kafka = new Properties();
        kafka.putAll(builder.properties);
        kafka.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, builder.bootstrapServers);
        kafka.put(ConsumerConfig.CLIENT_ID_CONFIG, builder.clientId);
        kafka.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        kafka.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        kafka.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        this.reader = new TopicReader(() -> new KafkaConsumer<String, byte[]>(kafka), topic, timeout);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every attempt on any key with {@code from ≤ at ≤ until}, oldest first. */
    public List<RefreshAttempted> all(Instant from, Instant until) {
        return read(key -> true, from, until);
    }

    /** The attempts on one token key (as written on the audit topic) with {@code from ≤ at ≤ until}. */
    public List<RefreshAttempted> forKey(String tokenKey, Instant from, Instant until) {
        Objects.requireNonNull(tokenKey, "tokenKey");
        return read(tokenKey::equals, from, until);
    }

    private List<RefreshAttempted> read(Predicate<String> keyFilter, Instant from, Instant until) {
        if (until.isBefore(from)) {
            throw new IllegalArgumentException("audit window ends (" + until + ") before it starts (" + from + ")");
        }
        List<RefreshAttempted> found = new ArrayList<>();
        AtomicInteger skipped = new AtomicInteger();
        // Record timestamps are the producer's send times, a little after 'at': start a minute early.
        boolean exists = reader.readSince(
                from.minus(Duration.ofMinutes(1)),
                record -> {
                    if (record.key() == null || !keyFilter.test(record.key()) || record.value() == null) {
                        return;
                    }
                    try {
                        RefreshAttempted attempt = codec.decode(record.value(), RefreshAttempted.class);
                        if (!attempt.at().isBefore(from) && !attempt.at().isAfter(until)) {
                            found.add(attempt);
                        }
                    } catch (EventDecodingException e) {
                        skipped.incrementAndGet();
                        log.debug(
                                "skipped unreadable audit record partition={} offset={} problem={}",
                                record.partition(),
                                record.offset(),
                                e.problem());
                    }
                },
                message -> new AuditReadTimeoutException(topic, timeout));
        if (!exists) {
            throw new IllegalStateException("audit topic '" + topic + "' does not exist; is the refresher running "
                    + "and tokencast.topics.audit the same on both sides?");
        }
        if (skipped.get() > 0) {
            log.warn("audit history skipped unreadable records topic={} count={}", topic, skipped.get());
        }
        found.sort(Comparator.comparing(RefreshAttempted::at));
        return found;
    }

    /** Configures an {@link AuditHistory}. */
    public static final class Builder {
        private String bootstrapServers;
        private String topic = DefaultTopics.AUDIT;
        private String clientId =
                "tokencast-audit-" + UUID.randomUUID().toString().substring(0, 8);
        private Duration timeout = Duration.ofSeconds(30);
        private final Properties properties = new Properties();

        private Builder() {}

        public Builder bootstrapServers(String bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
            return this;
        }

        /** The audit topic; default {@code tokencast.token-audit}. */
        public Builder topic(String topic) {
            this.topic = topic;
            return this;
        }

        public Builder clientId(String clientId) {
            this.clientId = clientId;
            return this;
        }

        /** How long one query may take; default 30 s. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** Extra Kafka consumer properties (security, for instance). */
        public Builder kafkaProperties(Map<String, ?> extra) {
            properties.putAll(extra);
            return this;
        }

        public AuditHistory build() {
            if (bootstrapServers == null || bootstrapServers.isBlank()) {
                throw new IllegalArgumentException("AuditHistory needs bootstrapServers, e.g. localhost:9092");
            }
            if (topic == null || topic.isBlank()) {
                throw new IllegalArgumentException("AuditHistory needs a topic name");
            }
            return new AuditHistory(this);
        }
    }
}
