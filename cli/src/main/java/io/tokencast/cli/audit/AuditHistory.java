package io.tokencast.cli.audit;

import io.tokencast.schema.DefaultTopics;
import io.tokencast.schema.EventCodec;
import io.tokencast.schema.EventDecodingException;
import io.tokencast.schema.RefreshAttempted;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the refresh history from the audit topic: the {@link RefreshAttempted} records of one key, or of
 * all keys, between two instants, in the order they happened. Each query seeks with
 * {@code offsetsForTimes} and reads up to the end offsets taken when it starts; no consumer group.
 */
public final class AuditHistory {

    private static final Logger log = LoggerFactory.getLogger(AuditHistory.class);

    private final Properties kafka;
    private final String topic;
    private final Duration timeout;
    private final EventCodec codec = EventCodec.json();

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
        int skipped = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(kafka)) {
            List<TopicPartition> partitions = partitions(consumer);
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            seekTo(consumer, partitions, from, end);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!caughtUp(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new AuditReadTimeoutException(topic, timeout);
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() >= end.get(new TopicPartition(record.topic(), record.partition()))) {
                        continue;
                    }
                    if (record.key() == null || !keyFilter.test(record.key()) || record.value() == null) {
                        continue;
                    }
                    try {
                        RefreshAttempted attempt = codec.decode(record.value(), RefreshAttempted.class);
                        if (!attempt.at().isBefore(from) && !attempt.at().isAfter(until)) {
                            found.add(attempt);
                        }
                    } catch (EventDecodingException e) {
                        skipped++;
                        log.debug(
                                "skipped unreadable audit record partition={} offset={} problem={}",
                                record.partition(),
                                record.offset(),
                                e.problem());
                    }
                }
            }
        }
        if (skipped > 0) {
            log.warn("audit history skipped unreadable records topic={} count={}", topic, skipped);
        }
        found.sort(Comparator.comparing(RefreshAttempted::at));
        return found;
    }

    private List<TopicPartition> partitions(KafkaConsumer<String, byte[]> consumer) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("audit topic '" + topic + "' does not exist; is the refresher running "
                    + "and tokencast.topics.audit the same on both sides?");
        }
        return infos.stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
    }

    private void seekTo(
            KafkaConsumer<String, byte[]> consumer,
            List<TopicPartition> partitions,
            Instant from,
            Map<TopicPartition, Long> end) {
        // Record timestamps are the producer's send times, a little after 'at': start a minute early.
        long since = Math.max(0, from.minus(Duration.ofMinutes(1)).toEpochMilli());
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(partition -> query.put(partition, since));
        Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(query, timeout);
        for (TopicPartition partition : partitions) {
            OffsetAndTimestamp offset = offsets.get(partition);
            consumer.seek(partition, offset == null ? end.get(partition) : offset.offset());
        }
    }

    private static boolean caughtUp(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
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
