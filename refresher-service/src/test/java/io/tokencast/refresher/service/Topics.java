package io.tokencast.refresher.service;

import io.tokencast.schema.EventCodec;
import io.tokencast.schema.EventDecodingException;
import io.tokencast.schema.RefreshAttempted;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.topics.TopicReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Reads a test's topics from the beginning to their current end. */
public final class Topics {

    private final String bootstrapServers;

    public Topics(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** Every record of the topic up to its end offsets now, in offset order per partition. */
    public List<ConsumerRecord<String, byte[]>> records(String topic) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false);
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        new TopicReader(
                        () -> new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer()),
                        topic,
                        Duration.ofSeconds(30))
                .readToEnd(records::add, IllegalStateException::new);
        return records;
    }

    /** Writes one record as any producer could, acknowledged by the broker; a null value is a tombstone. */
    public void send(String topic, String key, byte[] value) {
        Map<String, Object> config =
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("could not write to " + topic, e);
        }
    }

    /** The decodable tokens of the topic; tombstones and poison records (tests write some) are left out. */
    List<TokenRefreshed> tokens(String topic) {
        List<TokenRefreshed> tokens = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records(topic)) {
            if (record.value() == null) {
                continue;
            }
            try {
                tokens.add(EventCodec.json().decode(record.value(), TokenRefreshed.class));
            } catch (EventDecodingException poison) {
                // not a token: skipped, as every reader does
            }
        }
        return tokens;
    }

    List<RefreshAttempted> audit(String topic) {
        return records(topic).stream()
                .map(r -> EventCodec.json().decode(r.value(), RefreshAttempted.class))
                .toList();
    }

    /** The newest version of each key on the tokens topic. */
    Map<TokenKey, TokenRefreshed> latest(String topic) {
        return tokens(topic).stream()
                .collect(Collectors.toMap(
                        TokenRefreshed::tokenKey, t -> t, (a, b) -> b.version() > a.version() ? b : a));
    }

    /** The versions of one key on the tokens topic, in topic order. */
    static List<Long> versions(List<TokenRefreshed> tokens, TokenKey key) {
        return tokens.stream()
                .filter(t -> t.tokenKey().equals(key))
                .map(TokenRefreshed::version)
                .toList();
    }

    static Optional<TokenRefreshed> newest(List<TokenRefreshed> tokens, TokenKey key) {
        return tokens.stream()
                .filter(t -> t.tokenKey().equals(key))
                .max(Comparator.comparingLong(TokenRefreshed::version));
    }
}
