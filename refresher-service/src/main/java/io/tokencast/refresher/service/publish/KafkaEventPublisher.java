package io.tokencast.refresher.service.publish;

import io.tokencast.refresher.publish.EventPublisher;
import io.tokencast.refresher.publish.PublishException;
import io.tokencast.refresher.signing.RecordSigning;
import io.tokencast.refresher.signing.SignedEvent;
import io.tokencast.schema.RefreshAttempted;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.schema.TokenRetired;
import io.tokencast.schema.TokencastEvent;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** {@link EventPublisher} on an idempotent {@code acks=all} producer of its own. */
public final class KafkaEventPublisher implements EventPublisher, AutoCloseable {

    private final Producer<String, byte[]> producer;
    private final String tokensTopic;
    private final String auditTopic;
    private final Duration timeout;
    private final RecordSigning signing;

    /** Publishes with {@code producer} (see {@link KafkaClientSettings#producer}); closing closes it. */
    public KafkaEventPublisher(
            Producer<String, byte[]> producer,
            String tokensTopic,
            String auditTopic,
            Duration timeout,
            RecordSigning signing) {
        this.producer = producer;
        this.tokensTopic = tokensTopic;
        this.auditTopic = auditTopic;
        this.timeout = timeout;
        this.signing = signing;
    }

    @Override
    public void publish(SignedEvent<TokenRefreshed> event) {
        send(tokensTopic, event.event().tokenKey().asString(), event);
    }

    @Override
    public void retire(SignedEvent<TokenRetired> retired) {
        TokenKey key = retired.event().tokenKey();
        send(tokensTopic, key.asString(), retired);
        send(tokensTopic, key.asString(), null, "tombstone key=" + key + " topic=" + tokensTopic);
    }

    @Override
    public void audit(RefreshAttempted attempt) {
        send(auditTopic, attempt.tokenKey(), signing.sign(attempt));
    }

    private void send(String topic, String key, SignedEvent<? extends TokencastEvent> event) {
        send(topic, key, event.json(), event.event().type() + " key=" + key + " topic=" + topic);
    }

    private void send(String topic, String key, byte[] value, String what) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new PublishException("broker refused " + what + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new PublishException("no acknowledgement within " + timeout + " for " + what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishException("interrupted while publishing " + what, e);
        }
    }

    @Override
    public void close() {
        producer.close(timeout);
    }
}
