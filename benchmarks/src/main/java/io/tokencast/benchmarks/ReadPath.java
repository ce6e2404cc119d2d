package io.tokencast.benchmarks;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.tokencast.schema.EventCodec;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.trust.encryption.EncryptionKeyring;
import io.tokencast.trust.encryption.RecordEncryption;
import io.tokencast.trust.signing.KeySetRole;
import io.tokencast.trust.signing.RecordSigner;
import io.tokencast.trust.signing.SigningKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Benchmark 1: loads the same tokens into a compacted topic and into Redis, then runs
 * {@link TokenReadBenchmark} with one and with two threads in one JMH run each.
 */
final class ReadPath {

    /** Where the seeds' approach keeps a token: a plain string per key, read with GET. */
    static final String SEED_PREFIX = "bench:seed-token:";

    static final double TARGET_NS = 50;
    static final double TARGET_SPEEDUP = 1000;

    private static final Logger log = LoggerFactory.getLogger(ReadPath.class);

    private ReadPath() {}

    /** Encryption may cost the read path at most this factor: tokens are decrypted on apply, never on read. */
    static final double TARGET_ENCRYPTED_RATIO = 1.05;

    static List<Row> run(Rig rig, Sizes sizes, boolean verbose) {
        String topic = rig.createTokensTopic("bench.read");
        seed(rig, topic, sizes.readKeys(), RecordEncryption.off(), null);
        List<Row> rows = new ArrayList<>();
        for (int threads : new int[] {1, 2}) {
            Collection<RunResult> results =
                    runJmh(rig, topic, sizes, sizes.jmhForks(), threads, verbose, "tokenView|redisGet", "", "");
            double view = score(results, "tokenView");
            double redis = score(results, "redisGet");
            log.info("read path threads={} tokenViewNsPerOp={} redisGetNsPerOp={}", threads, view, redis);
            boolean met = view <= TARGET_NS && redis / view >= TARGET_SPEEDUP;
            rows.add(new Row(
                    "read: token(key), " + Sizes.count(sizes.readKeys()) + " keys, " + threads + " thread"
                            + (threads > 1 ? "s" : ""),
                    "ns/op",
                    view,
                    redis,
                    "Redis GET",
                    "≤ 50 ns/op and ≤ 1/1,000",
                    Row.Verdict.of(met)));
        }
        rows.addAll(variants(rig, sizes, verbose, topic));
        return rows;
    }

    /** Signatures may cost the read path nothing: each key is verified once, on apply or first read, never per read. */
    static final double TARGET_SIGNED_RATIO = 1.05;

    /** One view configuration of the variant comparison: its topic and the files the view is started with. */
    record Variant(String name, String topic, String keyring, String refresherKeys) {}

    /**
     * The encrypted and signed reads against the plaintext read. They run the same code (a key is decrypted and
     * verified once, on apply or first read), so what separates their scores is where one JVM's heap happened to
     * put the held tokens, which moves a 10k-key read by 10 % or more from fork to fork. Each round therefore
     * starts one fresh JVM per variant, in turn, and the rows compare the medians of the rounds.
     */
    private static List<Row> variants(Rig rig, Sizes sizes, boolean verbose, String plaintextTopic) {
        String encryptedTopic = rig.createTokensTopic("bench.read.encrypted");
        EncryptionKeyring keyring = EncryptionKeyring.generate("bench-read", List.of("*"));
        Path keyringFile = temporary("bench-keyring-", ".json", keyring.toJson());
        seed(rig, encryptedTopic, sizes.readKeys(), RecordEncryption.with(keyring), null);
        String signedTopic = rig.createTokensTopic("bench.read.signed");
        SigningKey key = SigningKey.generateEd25519("bench-refresher-1", null, KeySetRole.REFRESHER);
        Path refresherKeys = temporary("bench-refresher-", ".jwks.json", key.publicJwkSetJson());
        seed(rig, signedTopic, sizes.readKeys(), RecordEncryption.off(), new RecordSigner(key));

        List<Variant> variants = List.of(
                new Variant("plaintext", plaintextTopic, "", ""),
                new Variant("encrypted", encryptedTopic, keyringFile.toString(), ""),
                new Variant("signed", signedTopic, "", refresherKeys.toString()));
        Map<String, List<Double>> scores = new LinkedHashMap<>();
        int forks = Math.min(1, sizes.jmhForks());
        for (int round = 1; round <= sizes.readRounds(); round++) {
            for (Variant variant : variants) {
                double score = score(
                        runJmh(
                                rig,
                                variant.topic(),
                                sizes,
                                forks,
                                1,
                                verbose,
                                "tokenView",
                                variant.keyring(),
                                variant.refresherKeys()),
                        "tokenView");
                log.info("read path round={} variant={} tokenViewNsPerOp={}", round, variant.name(), score);
                scores.computeIfAbsent(variant.name(), name -> new ArrayList<>())
                        .add(score);
            }
        }
        double plaintext = median(scores.get("plaintext"));
        double encrypted = median(scores.get("encrypted"));
        double signed = median(scores.get("signed"));
        log.info("read path variants (ns/op per round) {}", scores);
        String label = "read: token(key), " + Sizes.count(sizes.readKeys()) + " keys, 1 thread, ";
        String rounds = ", medians of " + sizes.readRounds() + " JVMs each";
        boolean smoke = sizes.jmhForks() == 0;
        int slices = smoke ? 3 : 10 * sizes.readRounds();
        Map<String, Double> interleaved =
                InterleavedRead.compare(rig.bootstrapServers(), variants, slices, smoke ? 1_000 : 200_000);
        log.info("read path interleaved in one JVM (median ns/op of {} slices each) {}", slices, interleaved);
        String inOneJvm = ", medians of " + slices + " interleaved slices in one JVM";
        return List.of(
                new Row(
                        label + "encrypted (JWE), interleaved in one JVM",
                        "ns/op",
                        interleaved.get("encrypted"),
                        interleaved.get("plaintext"),
                        "plaintext view" + inOneJvm,
                        "≤ 1.05× plaintext",
                        Row.Verdict.of(
                                interleaved.get("encrypted") <= TARGET_ENCRYPTED_RATIO * interleaved.get("plaintext"))),
                new Row(
                        label + "signed (" + SignedColdStart.crypto() + ", verified once), interleaved in one JVM",
                        "ns/op",
                        interleaved.get("signed"),
                        interleaved.get("plaintext"),
                        "unsigned view" + inOneJvm,
                        "≤ 1.05× unsigned",
                        Row.Verdict.of(
                                interleaved.get("signed") <= TARGET_SIGNED_RATIO * interleaved.get("plaintext"))),
                new Row(
                        label + "encrypted (JWE)",
                        "ns/op",
                        encrypted,
                        plaintext,
                        "plaintext view" + rounds,
                        "≤ 1.05× plaintext",
                        Row.Verdict.of(encrypted <= TARGET_ENCRYPTED_RATIO * plaintext)),
                new Row(
                        label + "signed (" + SignedColdStart.crypto() + ", verified once)",
                        "ns/op",
                        signed,
                        plaintext,
                        "unsigned view" + rounds,
                        "≤ 1.05× unsigned",
                        Row.Verdict.of(signed <= TARGET_SIGNED_RATIO * plaintext)));
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static Path temporary(String prefix, String suffix, String content) {
        try {
            Path file = Files.createTempFile(prefix, suffix);
            file.toFile().deleteOnExit();
            return Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + prefix + suffix, e);
        }
    }

    private static void seed(Rig rig, String topic, int keys, RecordEncryption encryption, RecordSigner signer) {
        EventCodec codec = EventCodec.json();
        Instant now = Instant.now();
        RedisClient client = rig.redisClient();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(rig.bulkProducerConfig("bench-read-seed"));
                StatefulRedisConnection<String, String> redis = client.connect()) {
            RedisAsyncCommands<String, String> async = redis.async();
            List<RedisFuture<String>> writes = new ArrayList<>(keys);
            for (int i = 0; i < keys; i++) {
                TokenKey key = TokenEvents.key(i);
                TokenRefreshed event = TokenEvents.refreshed(key, 1, now);
                byte[] value = codec.encode(encryption.seal(event));
                producer.send(new ProducerRecord<>(topic, key.asString(), signer == null ? value : signer.sign(value)));
                writes.add(async.set(SEED_PREFIX + key.asString(), event.token()));
            }
            producer.flush();
            for (RedisFuture<String> write : writes) {
                write.get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not seed " + keys + " tokens for the read benchmark", e);
        } finally {
            client.shutdown();
        }
    }

    private static Collection<RunResult> runJmh(
            Rig rig,
            String topic,
            Sizes sizes,
            int forks,
            int threads,
            boolean verbose,
            String methods,
            String keyring,
            String refresherKeys) {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(TokenReadBenchmark.class.getName() + "\\.(" + methods + ")$")
                .param("bootstrapServers", rig.bootstrapServers())
                .param("topic", topic)
                .param("keyring", keyring)
                .param("refresherKeys", refresherKeys)
                .param("redisUri", rig.redisUri())
                .threads(threads)
                .forks(forks)
                .warmupIterations(sizes.jmhWarmupIterations())
                .warmupTime(TimeValue.milliseconds(sizes.jmhWarmupTime().toMillis()))
                .measurementIterations(sizes.jmhMeasurementIterations())
                .measurementTime(
                        TimeValue.milliseconds(sizes.jmhMeasurementTime().toMillis()))
                // A full GC before each iteration: the held tokens are then laid out as a long-running
                // service's are, compacted in the old generation, not scattered among the records they
                // were decoded from. Without it a read costs 90 or 160 ns in the same code, run to run.
                .shouldDoGC(true)
                .jvmArgsAppend("-Xms1g", "-Xmx1g")
                .shouldFailOnError(true)
                .verbosity(verbose ? VerboseMode.NORMAL : VerboseMode.SILENT);
        try {
            return new Runner(options.build()).run();
        } catch (RunnerException e) {
            throw new IllegalStateException("JMH failed on the read-path benchmark: " + e.getMessage(), e);
        }
    }

    private static double score(Collection<RunResult> results, String method) {
        return results.stream()
                .filter(r -> r.getParams().getBenchmark().endsWith("." + method))
                .mapToDouble(r -> r.getPrimaryResult().getScore())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("JMH reported no result for " + method));
    }
}
