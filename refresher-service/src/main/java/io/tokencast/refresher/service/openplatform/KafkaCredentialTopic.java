package io.tokencast.refresher.service.openplatform;

import io.tokencast.refresher.signing.RecordSigning;
import io.tokencast.refresher.signing.SignedEvent;
import io.tokencast.schema.CredentialStored;
import io.tokencast.schema.LogText;
import io.tokencast.schema.TokenRetired;
import io.tokencast.topics.TopicReader;
import io.tokencast.trust.records.Interpretation;
import io.tokencast.trust.records.Interpretation.Rejected;
import io.tokencast.trust.records.Interpretation.Retired;
import io.tokencast.trust.records.Interpretation.Tombstone;
import io.tokencast.trust.records.Interpretation.Version;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link CredentialTopic} on Kafka: an idempotent {@code acks=all} producer, and a {@link TopicReader}
 * that every replica reads the whole topic with, each record read by the interpreter every reader shares ({@link
 * RecordSigning#credentialRecord}).
 */
final class KafkaCredentialTopic implements CredentialTopic {

    private static final Logger log = LoggerFactory.getLogger(KafkaCredentialTopic.class);

    private final Producer<String, byte[]> producer;
    private final TopicReader reader;
    private final String topic;
    private final Duration timeout;
    private final CredentialTimes times;
    private final RecordSigning signing;

    KafkaCredentialTopic(
            Producer<String, byte[]> producer,
            Supplier<Consumer<String, byte[]>> consumers,
            String topic,
            Duration timeout,
            CredentialTimes times,
            RecordSigning signing) {
        this.times = times;
        this.signing = signing;
        this.producer = producer;
        this.reader = new TopicReader(consumers, topic, timeout);
        this.topic = topic;
        this.timeout = timeout;
    }

    @Override
    public void publish(SignedEvent<CredentialStored> signed) {
        CredentialStored credential = signed.event();
        send(
                credential.credentialKey(),
                signed.json(),
                credential.credentialKey() + " fingerprint=" + credential.fingerprint() + " to " + topic);
    }

    @Override
    public void retire(SignedEvent<TokenRetired> retired) {
        String credentialKey = retired.event().credentialKey();
        send(credentialKey, retired.json(), "retirement of " + credentialKey + " to " + topic);
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
    public Map<String, SignedEvent<CredentialStored>> readToEnd() {
        Map<String, SignedEvent<CredentialStored>> newest = new HashMap<>();
        try {
            reader.readToEnd(record -> apply(newest, record), message -> new CredentialVaultException(message, null));
            return newest;
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new CredentialVaultException("could not read " + topic + ": " + e, e);
        }
    }

    /** Takes one record into {@code newest}, or skips it with a log line; never throws, whatever the record. */
    private void apply(Map<String, SignedEvent<CredentialStored>> newest, ConsumerRecord<String, byte[]> record) {
        try {
            interpret(newest, record);
        } catch (RuntimeException e) {
            log.warn(
                    "skipped record topic={} partition={} offset={} problem=READER_ERROR error={}",
                    topic,
                    record.partition(),
                    record.offset(),
                    e.getClass().getName());
        }
    }

    private void interpret(Map<String, SignedEvent<CredentialStored>> newest, ConsumerRecord<String, byte[]> record) {
        if (record.key() == null) {
            return;
        }
        Interpretation<String, CredentialStored> read =
                signing.credentialRecord(record.key(), record.value(), record.partition(), record.offset());
        if (read instanceof Tombstone<String, CredentialStored> || read instanceof Retired<String, CredentialStored>) {
            newest.remove(record.key());
        } else if (read instanceof Rejected<String, CredentialStored> rejected) {
            if (rejected.reason() != Interpretation.Reason.UNVERIFIED) { // the signing logged and counted those
                skip(record, rejected.code(), rejected.detail());
            }
        } else if (read instanceof Version<String, CredentialStored> version) {
            CredentialStored credential = version.event();
            Optional<String> problem = times.problem(credential);
            if (problem.isPresent()) {
                // Believed, a forged receivedAt would win the merge below and shadow the genuine credential.
                skip(record, "OUT_OF_RANGE", problem.get());
                return;
            }
            newest.merge(
                    record.key(),
                    new SignedEvent<>(credential, record.value()),
                    (a, b) -> CredentialOrder.newer(a.event(), b.event()) == a.event() ? a : b);
        }
    }

    private void skip(ConsumerRecord<String, byte[]> record, String problem, String detail) {
        log.warn(
                "skipped credential record topic={} key=\"{}\" offset={} problem={} detail=\"{}\"",
                topic,
                LogText.of(record.key(), 80),
                record.offset(),
                problem,
                LogText.of(detail, 300));
    }
}
