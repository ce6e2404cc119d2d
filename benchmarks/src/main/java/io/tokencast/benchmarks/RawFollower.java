package io.tokencast.benchmarks;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;

/**
 * The anchor of the propagation benchmark: a plain consumer on its own thread, configured and polling as
 * the token view's reader does, that only reports which round each record belongs to.
 */
final class RawFollower implements AutoCloseable {

    static final String ROUND_HEADER = "bench-round";
    private static final Duration POLL = Duration.ofMillis(500);

    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final LongConsumer arrived;
    private final CountDownLatch assigned = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;

    private RawFollower(KafkaConsumer<String, byte[]> consumer, String topic, String name, LongConsumer arrived) {
        this.consumer = consumer;
        this.topic = topic;
        this.arrived = arrived;
        this.thread = new Thread(this::follow, name);
        thread.setDaemon(true);
    }

    static RawFollower start(Rig rig, String topic, String clientId, LongConsumer arrived) {
        RawFollower follower =
                new RawFollower(new KafkaConsumer<>(rig.viewConsumerConfig(clientId)), topic, clientId, arrived);
        follower.thread.start();
        return follower;
    }

    static byte[] encode(long round) {
        return ByteBuffer.allocate(Long.BYTES).putLong(round).array();
    }

    void awaitAssigned() {
        try {
            if (!assigned.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("raw consumer " + thread.getName() + " found no partition of " + topic);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void follow() {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            partitions.forEach(p -> consumer.position(p, Duration.ofSeconds(30)));
            assigned.countDown();
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    Header round = record.headers().lastHeader(ROUND_HEADER);
                    if (round != null) {
                        arrived.accept(ByteBuffer.wrap(round.value()).getLong());
                    }
                }
            }
        } catch (WakeupException e) {
            // close() woke the poll up: the end.
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
