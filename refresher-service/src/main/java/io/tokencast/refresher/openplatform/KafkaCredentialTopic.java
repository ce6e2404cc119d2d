package io.tokencast.refresher.openplatform;

import io.tokencast.schema.CredentialStored;
import io.tokencast.schema.EventCodec;
import io.tokencast.schema.EventDecodingException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link CredentialTopic} on Kafka: an idempotent {@code acks=all} producer, and a short-lived consumer that
 * assigns every partition, seeks to the beginning and polls up to the end offsets taken at the start. No
 * consumer group: nothing is committed, every replica reads everything.
 */
final class KafkaCredentialTopic implements CredentialTopic {

    private static final Logger log = LoggerFactory.getLogger(KafkaCredentialTopic.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final Producer<String, byte[]> producer;
    private final Supplier<Consumer<String, byte[]>> consumers;
    private final String topic;
    private final Duration timeout;
    private final EventCodec codec = EventCodec.json();

    KafkaCredentialTopic(
            Producer<String, byte[]> producer,
            Supplier<Consumer<String, byte[]>> consumers,
            String topic,
            Duration timeout) {
        this.producer = producer;
        this.consumers = consumers;
        this.topic = topic;
        this.timeout = timeout;
    }

    @Override
    public void publish(CredentialStored credential) {
        send(
                credential.credentialKey(),
                codec.encode(credential),
                credential.credentialKey() + " fingerprint=" + credential.fingerprint() + " to " + topic);
    }

    @Override
    public void remove(String credentialKey) {
        send(credentialKey, null, "tombstone of " + credentialKey + " to " + topic);
    }

    private void send(String key, byte[] value, String what) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new CredentialVaultException("broker refused " + what + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new CredentialVaultException("no acknowledgement within " + timeout + " for " + what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CredentialVaultException("interrupted while publishing " + what, e);
        }
    }

    @Override
    public Map<String, CredentialStored> readToEnd() {
        // Wall time on purpose: the deadline bounds a network read, not a credential's life.
        Instant deadline = Instant.now().plus(timeout);
        try (Consumer<String, byte[]> consumer = consumers.get()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            Map<String, CredentialStored> newest = new HashMap<>();
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                if (Instant.now().isAfter(deadline)) {
                    throw new CredentialVaultException(
                            "could not read " + topic + " to its end offsets " + end + " within " + timeout, null);
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    apply(newest, record);
                }
            }
            return newest;
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new CredentialVaultException("could not read " + topic + ": " + e, e);
        }
    }

    private void apply(Map<String, CredentialStored> newest, ConsumerRecord<String, byte[]> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            newest.remove(record.key());
            return;
        }
        try {
            CredentialStored credential = codec.decode(record.value(), CredentialStored.class);
            if (!credential.credentialKey().equals(record.key())) {
                log.warn(
                        "skipped record whose key differs from its credentialKey topic={} key={} offset={}",
                        topic,
                        record.key(),
                        record.offset());
                return;
            }
            newest.merge(record.key(), credential, CredentialOrder::newer);
        } catch (EventDecodingException e) {
            log.warn(
                    "skipped unreadable record topic={} key={} offset={} problem={}",
                    topic,
                    record.key(),
                    record.offset(),
                    e.getMessage());
        }
    }
}
