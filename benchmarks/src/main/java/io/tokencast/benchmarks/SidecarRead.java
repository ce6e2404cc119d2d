package io.tokencast.benchmarks;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.tokencast.consumer.TokenView;
import io.tokencast.schema.EventCodec;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.sidecar.Sidecar;
import io.tokencast.sidecar.SidecarConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Benchmark 5: one token read over loopback from the sidecar ({@code GET /v1/tokens/…}) and from Redis
 * ({@code GET}), what services outside the JVM do today, in the same run, one caller, alternating blocks so
 * both see the same machine. The sidecar runs in its own JVM, as Redis runs in its own process. Target: the
 * sidecar no slower than the Redis GET at p50 and p99.
 */
final class SidecarRead {

    static final String REDIS_PREFIX = "bench:sidecar-token:";
    private static final int BLOCK = 100;
    private static final long HIGHEST_NANOS = 10_000_000_000L;
    private static final Logger log = LoggerFactory.getLogger(SidecarRead.class);

    private SidecarRead() {}

    static List<Row> run(Rig rig, Sizes sizes) {
        // Sized off the cold-start key count: 20k calls each by default, 100k in full, 2k in the smoke run.
        int requests = sizes.jmhForks() == 0 ? 2_000 : Math.max(20_000, sizes.coldKeys());
        String topic = rig.createTokensTopic("bench.sidecar");
        TokenKey key = TokenEvents.key(0);
        TokenRefreshed event = TokenEvents.refreshed(key, 1, Instant.now());
        seed(rig, topic, event);
        Row inJvm = startToReady(rig, topic);
        try (SidecarProcess sidecar = SidecarProcess.start(rig.bootstrapServers(), topic, Duration.ofSeconds(60))) {
            log.info(
                    "sidecar process ready startToReadyMs={}",
                    sidecar.startToReady().toMillis());
            try (LoopbackClient http = LoopbackClient.http(sidecar.url(), "/v1/tokens/" + key.asString());
                    LoopbackClient redis = LoopbackClient.redis(rig.redisUri(), REDIS_PREFIX + key.asString())) {
                check(http, redis, event.token());
                Histogram sidecarNanos = new Histogram(HIGHEST_NANOS, 3);
                Histogram redisNanos = new Histogram(HIGHEST_NANOS, 3);
                measure(http, redis, requests, new Histogram(HIGHEST_NANOS, 3), new Histogram(HIGHEST_NANOS, 3));
                Duration cpuBefore = sidecar.cpu();
                Duration redisCpuBefore = redisServerCpu();
                measure(http, redis, requests, sidecarNanos, redisNanos);
                double cpuMicrosPerCall = sidecar.cpu().minus(cpuBefore).toNanos() / 1000.0 / requests;
                double redisCpuMicrosPerCall =
                        redisServerCpu().minus(redisCpuBefore).toNanos() / 1000.0 / requests;
                log.info(
                        "sidecar read requests={} sidecarP50us={} sidecarP99us={} redisP50us={} redisP99us={}",
                        requests,
                        sidecarNanos.getValueAtPercentile(50) / 1000.0,
                        sidecarNanos.getValueAtPercentile(99) / 1000.0,
                        redisNanos.getValueAtPercentile(50) / 1000.0,
                        redisNanos.getValueAtPercentile(99) / 1000.0);
                return List.of(
                        row(sidecarNanos, redisNanos, 50, requests),
                        row(sidecarNanos, redisNanos, 99, requests),
                        new Row(
                                "sidecar: CPU per GET in the sidecar process (all its threads)",
                                "µs",
                                cpuMicrosPerCall,
                                redisCpuMicrosPerCall,
                                "redis-server's CPU per GET",
                                "—",
                                Row.Verdict.INFO),
                        inJvm,
                        new Row(
                                "sidecar: process start to ready (JVM, Kafka, 1 key)",
                                "ms",
                                sidecar.startToReady().toMillis(),
                                Double.NaN,
                                "—",
                                "—",
                                Row.Verdict.INFO));
            }
        }
    }

    /**
     * {@code Sidecar.start} to ready against {@code TokenView.start} to ready, in this JVM, alternating, after
     * one unmeasured round so neither pays the other's class loading: what the sidecar adds to its view's start.
     */
    private static Row startToReady(Rig rig, String topic) {
        int rounds = 6; // the first is unmeasured; the median of the other five is reported
        long[] view = new long[rounds - 1];
        long[] sidecar = new long[rounds - 1];
        for (int round = 0; round < rounds; round++) {
            long t0 = System.nanoTime();
            try (TokenView tokens = TokenView.builder()
                    .bootstrapServers(rig.bootstrapServers())
                    .topic(topic)
                    .clientId("bench-view-start")
                    .withoutSignatureVerification()
                    .build()
                    .start()) {
                tokens.awaitReady(Duration.ofSeconds(60));
                if (round > 0) {
                    view[round - 1] = System.nanoTime() - t0;
                }
            }
            long t1 = System.nanoTime();
            try (Sidecar started = Sidecar.start(SidecarConfig.defaults(rig.bootstrapServers())
                    .withSignatures(SidecarConfig.Signatures.OFF)
                    .withTopics(topic, topic + "-reports"))) {
                started.view().awaitReady(Duration.ofSeconds(60));
                if (round > 0) {
                    sidecar[round - 1] = System.nanoTime() - t1;
                }
            }
        }
        double sidecarMs = median(sidecar) / 1e6;
        double viewMs = median(view) / 1e6;
        return new Row(
                "sidecar: Sidecar.start to ready, in one JVM, median of 5",
                "ms",
                sidecarMs,
                viewMs,
                "TokenView.start to ready",
                "≤ view + 50 ms",
                Row.Verdict.of(sidecarMs <= viewMs + 50));
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static Row row(Histogram sidecar, Histogram redis, double percentile, int requests) {
        double ours = sidecar.getValueAtPercentile(percentile) / 1000.0;
        double anchor = redis.getValueAtPercentile(percentile) / 1000.0;
        return new Row(
                "sidecar: GET /v1/tokens over loopback, " + Sizes.count(requests) + " calls, p" + (int) percentile,
                "µs",
                ours,
                anchor,
                "Redis GET (loopback)",
                "≤ Redis GET",
                Row.Verdict.of(ours <= anchor));
    }

    /**
     * The CPU time of the rig's {@code redis-server}, a child of this JVM (clock-tick granularity); zero where the
     * OS does not say.
     */
    private static Duration redisServerCpu() {
        return ProcessHandle.current()
                .children()
                // Debian's redis-server is a link to redis-check-rdb: the executable's name holds "redis", not more.
                .filter(child -> child.info().command().orElse("").contains("redis"))
                .map(child -> child.info().totalCpuDuration().orElse(Duration.ZERO))
                .reduce(Duration.ZERO, Duration::plus);
    }

    /** Alternating blocks of calls, so a hiccup of the machine lands on both sides alike. */
    private static void measure(
            LoopbackClient http, LoopbackClient redis, int requests, Histogram sidecarNanos, Histogram redisNanos) {
        for (int done = 0; done < requests; done += BLOCK) {
            for (int i = 0; i < BLOCK; i++) {
                long t0 = System.nanoTime();
                http.call();
                sidecarNanos.recordValue(System.nanoTime() - t0);
            }
            for (int i = 0; i < BLOCK; i++) {
                long t0 = System.nanoTime();
                redis.call();
                redisNanos.recordValue(System.nanoTime() - t0);
            }
        }
    }

    private static void check(LoopbackClient http, LoopbackClient redis, String token) {
        String json = new String(http.call(), StandardCharsets.UTF_8);
        String plain = new String(redis.call(), StandardCharsets.UTF_8);
        if (!json.contains("\"token\":\"" + token + "\"") || !plain.equals(token)) {
            throw new IllegalStateException("the sidecar or Redis does not answer the seeded token");
        }
    }

    private static void seed(Rig rig, String topic, TokenRefreshed event) {
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(rig.refresherProducerConfig("bench-sidecar"))) {
            producer.send(new ProducerRecord<>(
                            topic,
                            event.tokenKey().asString(),
                            EventCodec.json().encode(event)))
                    .get();
        } catch (Exception e) {
            throw new IllegalStateException("could not publish the sidecar benchmark's token", e);
        }
        RedisClient client = rig.redisClient();
        try (StatefulRedisConnection<String, String> redis = client.connect()) {
            redis.sync().set(REDIS_PREFIX + event.tokenKey().asString(), event.token());
        } finally {
            client.shutdown();
        }
    }
}
