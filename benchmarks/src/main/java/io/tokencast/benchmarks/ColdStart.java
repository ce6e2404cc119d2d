package io.tokencast.benchmarks;

import io.tokencast.consumer.TokenView;
import io.tokencast.schema.EventCodec;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.topics.TopicReader;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Benchmark 3: a service starting up. Time from building a view to {@code awaitReady} returning, against a
 * plain consumer, configured as the view's, reading the same compacted topic to the end offsets it took at
 * start. The two alternate, after one unmeasured read of each; the median is reported.
 */
final class ColdStart {

    static final double TARGET_RATIO = 1.5;
    static final Duration TARGET_TIME = Duration.ofSeconds(3);

    private static final Logger log = LoggerFactory.getLogger(ColdStart.class);
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private ColdStart() {}

    static List<Row> run(Rig rig, Sizes sizes) {
        String topic = rig.createTokensTopic("bench.cold");
        int keys = sizes.coldKeys();
        fill(rig, topic, keys);
        timeView(rig, topic, keys);
        timeRaw(rig, topic, keys, false);
        timeRaw(rig, topic, keys, true);
        long[] view = new long[sizes.coldRepeats()];
        long[] raw = new long[sizes.coldRepeats()];
        long[] decoding = new long[sizes.coldRepeats()];
        for (int i = 0; i < sizes.coldRepeats(); i++) {
            // Rotate who goes first, so no side always meets a warmer cache or a quieter broker.
            for (int turn = 0; turn < 3; turn++) {
                switch ((i + turn) % 3) {
                    case 0 -> raw[i] = timeRaw(rig, topic, keys, false);
                    case 1 -> view[i] = timeView(rig, topic, keys);
                    default -> decoding[i] = timeRaw(rig, topic, keys, true);
                }
            }
        }
        double viewMs = median(view) / 1e6;
        double rawMs = median(raw) / 1e6;
        double decodingMs = median(decoding) / 1e6;
        log.info(
                "cold start keys={} viewMs={} rawMs={} rawDecodingMs={} views={} raws={} decodings={}",
                keys,
                viewMs,
                rawMs,
                decodingMs,
                Arrays.toString(view),
                Arrays.toString(raw),
                Arrays.toString(decoding));
        boolean met = viewMs <= TARGET_RATIO * rawMs && viewMs <= TARGET_TIME.toMillis();
        return List.of(
                new Row(
                        "cold start: ready with " + Sizes.count(keys) + " keys",
                        "ms",
                        viewMs,
                        rawMs,
                        "raw consumer to end",
                        "≤ 1.5× raw and ≤ 3 s",
                        Row.Verdict.of(met)),
                new Row(
                        "cold start: raw consumer + EventCodec.decode, " + Sizes.count(keys) + " keys",
                        "ms",
                        decodingMs,
                        rawMs,
                        "raw consumer to end",
                        "— (explains the row above)",
                        Row.Verdict.INFO));
    }

    private static void fill(Rig rig, String topic, int keys) {
        EventCodec codec = EventCodec.json();
        Instant now = Instant.now();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(rig.bulkProducerConfig("bench-cold-fill"))) {
            for (int i = 0; i < keys; i++) {
                TokenKey key = TokenEvents.key(i);
                producer.send(
                        new ProducerRecord<>(topic, key.asString(), codec.encode(TokenEvents.refreshed(key, 1, now))));
            }
            producer.flush();
        }
    }

    private static long timeView(Rig rig, String topic, int keys) {
        long started = System.nanoTime();
        try (TokenView view = TokenView.builder()
                .bootstrapServers(rig.bootstrapServers())
                .topic(topic)
                .clientId("bench-cold-view")
                .withoutSignatureVerification()
                .build()
                .start()) {
            view.awaitReady(TIMEOUT);
            long elapsed = System.nanoTime() - started;
            if (view.stats().keys() != keys) {
                throw new IllegalStateException("the view holds " + view.stats().keys() + " keys, expected " + keys);
            }
            return elapsed;
        }
    }

    /**
     * A plain consumer reading the topic to its end offsets, as every reader of tokencast's topics does
     * ({@link TopicReader}); with {@code decoding}, it also decodes every value with the codec the view uses, to
     * show what the view's time goes to.
     */
    private static long timeRaw(Rig rig, String topic, int keys, boolean decoding) {
        EventCodec codec = EventCodec.json();
        long started = System.nanoTime();
        Map<String, Object> config = rig.viewConsumerConfig("bench-cold-raw");
        Tally tally = new Tally();
        new TopicReader(() -> new KafkaConsumer<String, byte[]>(config), topic, TIMEOUT)
                .readToEnd(
                        record -> {
                            tally.records++;
                            if (decoding) {
                                tally.versions += codec.decode(record.value(), TokenRefreshed.class)
                                        .version();
                            }
                        },
                        IllegalStateException::new);
        long elapsed = System.nanoTime() - started;
        if (tally.records != keys || (decoding && tally.versions != keys)) {
            throw new IllegalStateException("the raw consumer read " + tally.records + " records (decoded versions "
                    + tally.versions + "), expected " + keys);
        }
        return elapsed;
    }

    /** What a raw read saw: the records, and the sum of their versions when decoding (every version is 1). */
    private static final class Tally {
        long records;
        long versions;
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
