package io.tokencast.consumer;

import static org.awaitility.Awaitility.await;

import io.tokencast.schema.EventCodec;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.testkit.LocalInfrastructure;
import io.tokencast.testkit.signing.TestRefresherKey;
import io.tokencast.topics.TopicReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A uniquely named topic on the shared test broker (or a given one), plus a producer writing to it as the
 * refresher would: events are signed with {@link TestRefresherKey#shared()}.
 */
final class TokenTopic implements AutoCloseable {

    final String name;
    private final String bootstrapServers;
    private final KafkaProducer<String, byte[]> producer;
    // Sends not yet checked by flush(): a send that failed must fail the test, not go missing from it.
    private final Queue<Future<RecordMetadata>> unchecked = new ConcurrentLinkedQueue<>();

    private TokenTopic(String name, String bootstrapServers) {
        this.name = name;
        this.bootstrapServers = bootstrapServers;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.LINGER_MS_CONFIG,
                10,
                ProducerConfig.BATCH_SIZE_CONFIG,
                256 * 1024,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class));
    }

    static String bootstrapServers() {
        return LocalInfrastructure.shared().kafkaBootstrapServers();
    }

    /** A compacted topic, as the tokens topic is. */
    static TokenTopic compacted(String prefix, int partitions) {
        return create(prefix, partitions, TopicConfig.CLEANUP_POLICY_COMPACT);
    }

    /** A compacted topic on the broker at {@code bootstrapServers}, e.g. a test's own. */
    static TokenTopic compacted(String prefix, int partitions, String bootstrapServers) {
        return create(prefix, partitions, TopicConfig.CLEANUP_POLICY_COMPACT, bootstrapServers);
    }

    /** A delete-policy topic, as the admin topic is. */
    static TokenTopic deleting(String prefix) {
        return create(prefix, 1, TopicConfig.CLEANUP_POLICY_DELETE);
    }

    private static TokenTopic create(String prefix, int partitions, String policy) {
        return create(prefix, partitions, policy, bootstrapServers());
    }

    private static TokenTopic create(String prefix, int partitions, String policy, String bootstrapServers) {
        String name = LocalInfrastructure.uniqueName(prefix);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)
                            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, policy))))
                    .all()
                    .get();
            // On a busy machine the broker may take a moment to lead new partitions; a first batch sent before
            // that is retried by the idempotent producer into an out-of-order sequence and lost.
            // Nor does a broker that just created a topic always know it yet when asked to describe it.
            await("leaders of " + name)
                    .atMost(Duration.ofSeconds(30))
                    .ignoreExceptionsMatching(e -> e.getCause() instanceof UnknownTopicOrPartitionException)
                    .until(() ->
                            admin.describeTopics(List.of(name)).allTopicNames().get().get(name).partitions().stream()
                                    .allMatch(partition -> partition.leader() != null));
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("could not create topic " + name, e);
        }
        return new TokenTopic(name, bootstrapServers);
    }

    /** Sends, signed by the shared test refresher key, without waiting; call {@link #flush()} to know all are written. */
    void send(TokenRefreshed event) {
        send(event, TestRefresherKey.shared());
    }

    /** Sends {@code event} signed with {@code key}, e.g. a forger's. */
    void send(TokenRefreshed event, TestRefresherKey key) {
        send(event.tokenKey().asString(), key.sign(event));
    }

    /** Sends {@code event} without a signature, as anyone who can write to the topic could. */
    void sendUnsigned(TokenRefreshed event) {
        send(event.tokenKey().asString(), EventCodec.json().encode(event));
    }

    void send(String key, byte[] value) {
        unchecked.add(producer.send(new ProducerRecord<>(name, key, value)));
    }

    void sendTo(int partition, TokenRefreshed event) {
        unchecked.add(producer.send(new ProducerRecord<>(
                name,
                partition,
                event.tokenKey().asString(),
                TestRefresherKey.shared().sign(event))));
    }

    /** Grows the topic to {@code partitions}. */
    void growTo(int partitions) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createPartitions(Map.of(name, NewPartitions.increaseTo(partitions)))
                    .all()
                    .get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("could not grow topic " + name, e);
        }
    }

    void tombstone(TokenKey key) {
        send(key.asString(), null);
    }

    /** Waits until every send so far is written, and fails if any was not. */
    void flush() {
        producer.flush();
        for (Future<RecordMetadata> sent; (sent = unchecked.poll()) != null; ) {
            try {
                sent.get();
            } catch (InterruptedException | ExecutionException e) {
                throw new IllegalStateException("a record for " + name + " was not written", e);
            }
        }
    }

    /** Everything on the topic right now, from the beginning to the end offsets. */
    List<ConsumerRecord<String, byte[]>> readAll() {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class);
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        new TopicReader(() -> new KafkaConsumer<String, byte[]>(config), name, Duration.ofSeconds(30))
                .readToEnd(records::add, IllegalStateException::new);
        return records;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
