package io.tokencast.refresher.service.publish;

import io.tokencast.schema.EventCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * {@link DeadLetters} on a topic of its own: the original key, value and headers, plus {@code tokencast.dlt.*}
 * headers in plain text (original topic, partition, offset, timestamp, problem, message, value size).
 */
public final class KafkaDeadLetters implements DeadLetters, AutoCloseable {

    public static final String HEADER_PREFIX = "tokencast.dlt.";

    /**
     * Values beyond this are kept cut to it: they can never be valid commands (the codec's own limit), and a
     * whole one could exceed what the broker takes. The {@code value-size} header keeps the original length.
     */
    static final int MAX_KEPT_VALUE_BYTES = EventCodec.MAX_PAYLOAD_BYTES;

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final Duration timeout;

    public KafkaDeadLetters(Producer<byte[], byte[]> producer, String topic, Duration timeout) {
        this.producer = producer;
        this.topic = topic;
        this.timeout = timeout;
    }

    @Override
    public void keep(ConsumerRecord<byte[], byte[]> record, String problem, String message) {
        byte[] value = record.value();
        boolean cut = value != null && value.length > MAX_KEPT_VALUE_BYTES;
        Headers headers = new RecordHeaders();
        for (Header header : record.headers()) {
            headers.add(header);
        }
        text(headers, "original-topic", record.topic());
        text(headers, "original-partition", Integer.toString(record.partition()));
        text(headers, "original-offset", Long.toString(record.offset()));
        text(headers, "original-timestamp", Long.toString(record.timestamp()));
        text(headers, "problem", problem);
        text(headers, "message", message);
        text(headers, "value-size", value == null ? "null" : Integer.toString(value.length));
        text(headers, "value-truncated", Boolean.toString(cut));
        byte[] kept = cut ? Arrays.copyOf(value, MAX_KEPT_VALUE_BYTES) : value;
        String what = "topic=" + topic + " from=" + record.topic() + "-" + record.partition() + "@" + record.offset();
        try {
            producer.send(new ProducerRecord<>(topic, null, record.key(), kept, headers))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new DeadLetterException("broker refused dead letter " + what + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new DeadLetterException("no acknowledgement within " + timeout + " for dead letter " + what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeadLetterException("interrupted while writing dead letter " + what, e);
        }
    }

    private static void text(Headers headers, String name, String value) {
        headers.add(HEADER_PREFIX + name, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        producer.close(timeout);
    }
}
