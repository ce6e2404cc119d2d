package io.tokencast.benchmarks;

import io.tokencast.consumer.TokenView;
import io.tokencast.schema.EventCodec;
import io.tokencast.schema.TokenKey;
import io.tokencast.trust.signing.KeySetRole;
import io.tokencast.trust.signing.RecordSigner;
import io.tokencast.trust.signing.RecordVerifier;
import io.tokencast.trust.signing.SigningKey;
import io.tokencast.trust.signing.VerificationKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Benchmark 3b (issue 15): a service starting up over signed tokens. The same number of keys, signed by the
 * refresher, and a view that verifies them: ready (restore defers verification, docs/design.md §5 "When to
 * verify") against an unsigned view of the same size measured in the same run; then what a first read costs when
 * it is the one that verifies, and how long the background takes to verify every key.
 */
final class SignedColdStart {

    static final double TARGET_RATIO = 2.0;
    static final Duration TARGET_TIME = Duration.ofSeconds(3);
    static final double TARGET_FIRST_READ_MICROS = 1_000;

    private static final Logger log = LoggerFactory.getLogger(SignedColdStart.class);
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final int FIRST_READS = 2_000;

    private SignedColdStart() {}

    /** The algorithm and crypto provider verification runs on, as the rows name them. */
    static String crypto() {
        String provider = RecordVerifier.provider();
        int detail = provider.indexOf(" (");
        return "Ed25519 on " + (detail > 0 ? provider.substring(0, detail) : provider);
    }

    static List<Row> run(Rig rig, Sizes sizes) {
        int keys = sizes.coldKeys();
        SigningKey key = SigningKey.generateEd25519("bench-refresher-1", null, KeySetRole.REFRESHER);
        VerificationKeys trusted = VerificationKeys.of(KeySetRole.REFRESHER, List.of(key));
        String unsigned = rig.createTokensTopic("bench.cold.unsigned");
        String signed = rig.createTokensTopic("bench.cold.signed");
        fill(rig, unsigned, keys, null);
        fill(rig, signed, keys, new RecordSigner(key));
        time(rig, unsigned, keys, null);
        time(rig, signed, keys, trusted);
        long[] plain = new long[sizes.coldRepeats()];
        long[] verified = new long[sizes.coldRepeats()];
        long[] allVerified = new long[sizes.coldRepeats()];
        for (int i = 0; i < sizes.coldRepeats(); i++) {
            // Alternate who goes first, so neither side always meets a warmer cache or a quieter broker.
            if (i % 2 == 0) {
                plain[i] = time(rig, unsigned, keys, null)[0];
                long[] both = time(rig, signed, keys, trusted);
                verified[i] = both[0];
                allVerified[i] = both[1];
            } else {
                long[] both = time(rig, signed, keys, trusted);
                verified[i] = both[0];
                allVerified[i] = both[1];
                plain[i] = time(rig, unsigned, keys, null)[0];
            }
        }
        double plainMs = median(plain) / 1e6;
        double signedMs = median(verified) / 1e6;
        double allMs = median(allVerified) / 1e6;
        double[] firstReads = firstReads(rig, signed, keys, trusted);
        log.info(
                "signed cold start keys={} crypto=\"{}\" signedReadyMs={} unsignedReadyMs={} allVerifiedMs={}"
                        + " firstReadP50Us={} firstReadP99Us={} laterReadP50Us={} signed={} unsigned={}",
                keys,
                crypto(),
                signedMs,
                plainMs,
                allMs,
                firstReads[0],
                firstReads[1],
                firstReads[2],
                Arrays.toString(verified),
                Arrays.toString(plain));
        String count = Sizes.count(keys);
        return List.of(
                new Row(
                        "cold start, signed (" + crypto() + "): ready with " + count + " keys",
                        "ms",
                        signedMs,
                        plainMs,
                        "unsigned view, same run",
                        "≤ 2× unsigned and ≤ 3 s",
                        Row.Verdict.of(signedMs <= TARGET_RATIO * plainMs && signedMs <= TARGET_TIME.toMillis())),
                new Row(
                        "cold start, signed: every key verified in the background, " + count + " keys",
                        "ms",
                        allMs,
                        signedMs,
                        "ready",
                        "— (reads never wait for it)",
                        Row.Verdict.INFO),
                new Row(
                        "cold start, signed: first read of a key (verifies it), p50",
                        "µs",
                        firstReads[0],
                        firstReads[2],
                        "a later read, p50",
                        "< 1 ms",
                        Row.Verdict.of(firstReads[0] < TARGET_FIRST_READ_MICROS)),
                new Row(
                        "cold start, signed: first read of a key (verifies it), p99",
                        "µs",
                        firstReads[1],
                        firstReads[3],
                        "a later read, p99",
                        "< 1 ms",
                        Row.Verdict.of(firstReads[1] < TARGET_FIRST_READ_MICROS)));
    }

    private static void fill(Rig rig, String topic, int keys, RecordSigner signer) {
        EventCodec codec = EventCodec.json();
        Instant now = Instant.now();
        // Signing is the refresher's cost, not the view's: done in parallel, before anything is timed.
        List<byte[]> values = IntStream.range(0, keys)
                .parallel()
                .mapToObj(i -> {
                    byte[] record = codec.encode(TokenEvents.refreshed(TokenEvents.key(i), 1, now));
                    return signer == null ? record : signer.sign(record);
                })
                .toList();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(rig.bulkProducerConfig("bench-cold-fill"))) {
            for (int i = 0; i < keys; i++) {
                producer.send(new ProducerRecord<>(topic, TokenEvents.key(i).asString(), values.get(i)));
            }
            producer.flush();
        }
    }

    /** Nanoseconds to ready, and (signed) to every key verified in the background. */
    private static long[] time(Rig rig, String topic, int keys, VerificationKeys trusted) {
        long started = System.nanoTime();
        try (TokenView view = builder(rig, topic, trusted).build().start()) {
            view.awaitReady(TIMEOUT);
            long ready = System.nanoTime() - started;
            long deadline = started + TIMEOUT.toNanos();
            // Not a test waiting for a condition: a benchmark measuring when the background is done.
            while (view.stats().verificationPending() > 0 && System.nanoTime() < deadline) {
                LockSupport.parkNanos(1_000_000);
            }
            long all = System.nanoTime() - started;
            int held = view.stats().keys();
            if (held != keys) {
                throw new IllegalStateException("the view of " + topic + " holds " + held + " keys, expected " + keys);
            }
            return new long[] {ready, all};
        }
    }

    /**
     * First reads with the background off, so each read is the one that verifies its key; then the same keys
     * read again. Returns p50 and p99 of both, in microseconds.
     */
    private static double[] firstReads(Rig rig, String topic, int keys, VerificationKeys trusted) {
        try (TokenView view = builder(rig, topic, trusted)
                .backgroundVerification(false)
                .build()
                .start()) {
            view.awaitReady(TIMEOUT);
            List<Integer> order =
                    new ArrayList<>(IntStream.range(0, keys).boxed().toList());
            Collections.shuffle(order, new Random(42));
            int reads = Math.min(FIRST_READS, keys);
            long[] first = new long[reads];
            long[] later = new long[reads];
            TokenKey[] sample = new TokenKey[reads];
            for (int i = 0; i < reads; i++) {
                sample[i] = TokenEvents.key(order.get(i));
                long started = System.nanoTime();
                view.token(sample[i]);
                first[i] = System.nanoTime() - started;
            }
            for (int i = 0; i < reads; i++) {
                long started = System.nanoTime();
                view.token(sample[i]);
                later[i] = System.nanoTime() - started;
            }
            if (view.stats().signatureRejected() > 0) {
                throw new IllegalStateException(
                        "the view refused " + view.stats().signatureRejected() + " records");
            }
            return new double[] {
                percentile(first, 50) / 1e3,
                percentile(first, 99) / 1e3,
                percentile(later, 50) / 1e3,
                percentile(later, 99) / 1e3
            };
        }
    }

    private static TokenView.Builder builder(Rig rig, String topic, VerificationKeys trusted) {
        TokenView.Builder builder = TokenView.builder()
                .bootstrapServers(rig.bootstrapServers())
                .topic(topic)
                .clientId("bench-cold-" + (trusted == null ? "unsigned" : "signed"))
                .heartbeats(false);
        return trusted == null ? builder.withoutSignatureVerification() : builder.refresherKeys(trusted);
    }

    private static long median(long[] values) {
        return percentile(values, 50);
    }

    private static long percentile(long[] values, int percent) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percent / 100.0 * sorted.length) - 1)];
    }
}
