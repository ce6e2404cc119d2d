package io.tokencast.consumer;

import io.tokencast.topics.EndOffsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reader thread's loop: assign every partition of the topic, seek to the beginning, read to the {@link
 * EndOffsets} taken at start (then the table is ready), and keep following, picking up partitions added later.
 * No consumer group, no committed offsets: every start reads the whole compacted topic. The consumer
 * reconnects on its own after a broker outage; meanwhile the table keeps serving what it holds. Because
 * {@code poll} stays silent while the broker is down, the loop also asks the broker a question of its own
 * every check interval and tells the {@link BrokerContactTracker} whether it was answered.
 */
final class TopicFollower implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(TopicFollower.class);

    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration BACKOFF = Duration.ofSeconds(1);

    private final Consumer<String, byte[]> consumer;
    private final Runnable closed;
    private final String topic;
    private final TokenTable table;
    private final TokenRecords records;
    private final BrokerContactTracker contact;
    private final long partitionCheckNanos;
    private final Duration resumeAfter;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;

    private final Set<TopicPartition> assigned = new HashSet<>();
    private EndOffsets startEndOffsets;
    private long nextPartitionCheck;
    private long startedNanos;
    private boolean troubled;
    private boolean missingTopicLogged;

    /** @param closed called once the loop has closed {@code consumer}, before {@link #stop} returns */
    TopicFollower(
            Consumer<String, byte[]> consumer,
            Runnable closed,
            String topic,
            TokenTable table,
            Duration partitionCheck,
            BrokerContactTracker contact,
            Duration resumeAfter) {
        this.consumer = consumer;
        this.closed = closed;
        this.resumeAfter = resumeAfter;
        this.contact = contact;
        this.partitionCheckNanos = partitionCheck.toNanos();
        this.topic = topic;
        this.table = table;
        this.records = new TokenRecords(table);
    }

    /** The configuration of a follower's consumer: no group, read committed, never creating the topic. */
    static Map<String, Object> consumerConfig(
            Map<String, Object> kafkaProperties, String bootstrapServers, String clientId) {
        Map<String, Object> config = new HashMap<>(kafkaProperties);
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        // assign + seekToBeginning on every start: no group, nothing committed, nothing to rebalance.
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // A view started before any refresher must not create the tokens topic with the broker's defaults
        // (cleanup.policy=delete): the refresher refuses such a topic, and rightly so.
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return config;
    }

    @Override
    public void run() {
        startedNanos = System.nanoTime();
        try {
            if (!resumeAfter.isZero() && !resumeAfter.isNegative()) {
                pause(resumeAfter);
            }
            while (running) {
                guardedStep();
            }
        } finally {
            try {
                consumer.close(Duration.ofSeconds(5));
            } finally {
                closed.run();
                stopped.countDown();
            }
        }
    }

    /** Asks the loop to end and waits for the consumer to close. */
    void stop(Duration timeout) {
        running = false;
        stopRequested.countDown();
        consumer.wakeup();
        try {
            if (!stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("token view reader did not stop within {} topic={}", timeout, topic);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One step, and whatever it throws short of an {@link Error}: the reader must outlive a bug as it outlives a
     * bad record. The view says it is failing (health DOWN) until a step succeeds; the partitions are read again
     * from the beginning, because a failure mid-batch may have skipped records (applying one twice is harmless:
     * only a newer version replaces a held one).
     */
    private void guardedStep() {
        try {
            step();
            contact.review();
            if (table.readerResumed()) {
                log.info("token view reader resumed topic={}", topic);
            }
        } catch (RuntimeException e) {
            table.readerFailed();
            log.error(
                    "token view reader failed topic={} error={} action=reading-again-from-the-beginning",
                    topic,
                    e.getClass().getName());
            try {
                consumer.seekToBeginning(assigned);
            } catch (RuntimeException again) {
                assigned.clear();
            }
            backOff();
        }
    }

    private void step() {
        try {
            if (contact.checkDue()) {
                checkContact();
            }
            if (assigned.isEmpty() || System.nanoTime() >= nextPartitionCheck) {
                followNewPartitions();
                if (assigned.isEmpty()) {
                    backOff();
                    return;
                }
            }
            if (startEndOffsets == null) {
                startEndOffsets = EndOffsets.take(consumer, assigned, METADATA_TIMEOUT);
                log.info(
                        "token view reading topic={} partitions={} endOffsets={}",
                        topic,
                        assigned.size(),
                        startEndOffsets.total());
            }
            ConsumerRecords<String, byte[]> batch = consumer.poll(POLL_TIMEOUT);
            for (ConsumerRecord<String, byte[]> record : batch) {
                records.accept(record);
            }
            if (!table.isReady() && startEndOffsets.reachedBy(consumer, METADATA_TIMEOUT)) {
                table.markReady();
                ConsumerStats stats = table.stats();
                log.info(
                        "token view ready topic={} keys={} records={} skipped={} tookMs={}",
                        topic,
                        stats.keys(),
                        stats.recordsRead(),
                        stats.malformedSkipped(),
                        (System.nanoTime() - startedNanos) / 1_000_000);
            }
            table.compactWhenSettled();
            if (troubled) {
                troubled = false;
                log.info("token view reading again topic={}", topic);
            }
        } catch (WakeupException | InterruptException e) {
            running = false;
        } catch (KafkaException e) {
            if (!troubled) {
                troubled = true;
                log.warn(
                        "token view cannot read topic={} cause={}; retrying, still serving held tokens until they"
                                + " expire",
                        topic,
                        e.toString());
            }
            backOff();
        }
    }

    /**
     * One round trip only a live broker answers: the end offsets of the assigned partitions, or before any is
     * assigned, the topic's partitions (not cached yet, so the consumer has to ask).
     */
    private void checkContact() {
        Duration timeout = contact.checkTimeout();
        try {
            if (assigned.isEmpty()) {
                consumer.partitionsFor(topic, timeout);
                contact.answered(OptionalLong.empty());
            } else {
                EndOffsets now = EndOffsets.take(consumer, assigned, timeout);
                contact.answered(OptionalLong.of(now.behind(consumer, timeout)));
            }
        } catch (WakeupException | InterruptException e) {
            throw e;
        } catch (KafkaException e) {
            contact.unanswered(e);
        }
    }

    private void followNewPartitions() {
        nextPartitionCheck = System.nanoTime() + partitionCheckNanos;
        List<PartitionInfo> infos = consumer.partitionsFor(topic, METADATA_TIMEOUT);
        if (infos == null || infos.isEmpty()) {
            if (!missingTopicLogged) {
                missingTopicLogged = true;
                log.warn("token view waiting for topic={} to exist; the refresher creates it at start", topic);
            }
            return;
        }
        List<TopicPartition> added = new ArrayList<>();
        for (PartitionInfo info : infos) {
            TopicPartition partition = new TopicPartition(topic, info.partition());
            if (!assigned.contains(partition)) {
                added.add(partition);
            }
        }
        if (added.isEmpty()) {
            return;
        }
        assigned.addAll(added);
        consumer.assign(new ArrayList<>(assigned));
        consumer.seekToBeginning(added);
        if (startEndOffsets != null) {
            log.info("token view following new partitions topic={} partitions={}", topic, added);
        }
    }

    private void backOff() {
        pause(BACKOFF);
    }

    private void pause(Duration pause) {
        try {
            // Not a sleep to wait for a condition: a pause between retries that stop() cuts short.
            stopRequested.await(pause.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
