package io.tokencast.topics;

import io.tokencast.schema.RefreshRequested;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Publishes {@link RefreshRequested} records on one topic, keyed by their token key: the one way the operator's
 * CLI and console write the admin topic and the consumer library writes the reports topic. The bytes are the
 * caller's (signed with an operator key for the admin topic, the plain event for a report). The producer is made
 * at the first command: most holders never send one. Thread-safe.
 */
public final class CommandPublisher implements AutoCloseable {

    private final Supplier<? extends Producer<String, byte[]>> producers;
    private final Consumer<Producer<String, byte[]>> closed;
    private final String topic;
    private final Duration closeTimeout;
    private Producer<String, byte[]> producer;

    /**
     * @param closed told of the producer once it is closed (a metrics binder, say)
     * @param closeTimeout how long {@link #close} waits for records still in flight
     */
    public CommandPublisher(
            Supplier<? extends Producer<String, byte[]>> producers,
            Consumer<Producer<String, byte[]>> closed,
            String topic,
            Duration closeTimeout) {
        this.producers = producers;
        this.closed = closed;
        this.topic = topic;
        this.closeTimeout = closeTimeout;
    }

    /** A publisher on {@code topic} whose producer nobody else needs to hear about. */
    public static CommandPublisher on(
            Supplier<? extends Producer<String, byte[]>> producers, String topic, Duration closeTimeout) {
        return new CommandPublisher(producers, producer -> {}, topic, closeTimeout);
    }

    public String topic() {
        return topic;
    }

    /** Sends {@code value}, the record of {@code command}; completes when the broker has it, or with its refusal. */
    public CompletableFuture<Void> publish(RefreshRequested command, byte[] value) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        try {
            producer().send(new ProducerRecord<>(topic, command.tokenKey().asString(), value), (metadata, failure) -> {
                if (failure == null) {
                    sent.complete(null);
                } else {
                    sent.completeExceptionally(failure);
                }
            });
        } catch (RuntimeException e) {
            sent.completeExceptionally(e);
        }
        return sent;
    }

    /**
     * {@link #publish}, waiting up to {@code timeout} for the broker.
     *
     * @throws ExecutionException the broker's refusal, or the producer's failure
     * @throws TimeoutException when the broker did not answer in time
     */
    public void publishAndWait(RefreshRequested command, byte[] value, Duration timeout)
            throws ExecutionException, TimeoutException, InterruptedException {
        publish(command, value).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized Producer<String, byte[]> producer() {
        if (producer == null) {
            producer = producers.get();
        }
        return producer;
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(closeTimeout);
            closed.accept(producer);
            producer = null;
        }
    }
}
