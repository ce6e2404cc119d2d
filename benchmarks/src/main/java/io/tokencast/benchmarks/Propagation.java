package io.tokencast.benchmarks;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.tokencast.consumer.Token;
import io.tokencast.consumer.TokenView;
import io.tokencast.schema.EventCodec;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.trust.encryption.EncryptionKeyring;
import io.tokencast.trust.encryption.RecordEncryption;
import io.tokencast.trust.signing.KeySetRole;
import io.tokencast.trust.signing.RecordSigner;
import io.tokencast.trust.signing.SigningKey;
import io.tokencast.trust.signing.VerificationKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SynchronizedHistogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Benchmark 2: how long a refresh takes to reach every service. One publisher plays the refresher's write
 * path (the JSON into the key's Redis hash, then an idempotent {@code acks=all} produce); the clock starts
 * when the Redis write returns and stops in each view's listener. The anchor is the same payload produced
 * raw to another topic on the same broker and read by as many plain consumers. Rounds alternate which side
 * goes first and each waits until every reader has the record, so the two never compete.
 *
 * <p>It runs four variants, each against raw Kafka carrying the same bytes: plaintext and unsigned (the
 * floor), signed (issue 15: the views verify each record before applying it), encrypted (issue 16: the views
 * decrypt on apply) and signed and encrypted (the default of a real deployment). Signing and sealing happen
 * before the Redis write, as in the refresher, so the clock covers what the views add: verification and
 * decryption.
 */
final class Propagation {

    private static final Logger log = LoggerFactory.getLogger(Propagation.class);
    private static final Duration ROUND_TIMEOUT = Duration.ofSeconds(30);
    private static final long HIGHEST_NANOS = TimeUnit.MINUTES.toNanos(1);

    /** One refresh in flight: when it left and who still has to see it. */
    record Round(long number, long startNanos, boolean measured, CountDownLatch pending, Histogram latencies) {

        void arrived(long nowNanos) {
            if (measured) {
                latencies.recordValue(Math.min(nowNanos - startNanos, HIGHEST_NANOS));
            }
            pending.countDown();
        }
    }

    /**
     * What the records carry.
     *
     * @param keyring null for plaintext tokens; else the tokens are sealed and the views decrypt on apply
     * @param signingKey null for unsigned records; else the publisher signs and the views verify on apply
     */
    record Variant(String name, EncryptionKeyring keyring, SigningKey signingKey) {

        static List<Variant> all() {
            EncryptionKeyring keyring = EncryptionKeyring.generate("bench-propagation", List.of("*"));
            SigningKey signingKey = SigningKey.generateEd25519("bench-propagation-1", null, KeySetRole.REFRESHER);
            return List.of(
                    new Variant("plaintext", null, null),
                    new Variant("signed (" + SignedColdStart.crypto() + ")", null, signingKey),
                    new Variant("encrypted (JWE)", keyring, null),
                    new Variant("signed and encrypted", keyring, signingKey));
        }
    }

    private final Rig rig;
    private final Sizes sizes;
    private final EncryptionKeyring keyring;
    private final RecordEncryption encryption;
    private final RecordSigner signer;
    private final VerificationKeys trusted;
    private final String variant;
    private final Histogram tokencast = new SynchronizedHistogram(HIGHEST_NANOS, 3);
    private final Histogram raw = new SynchronizedHistogram(HIGHEST_NANOS, 3);
    private volatile Round viewRound;
    private volatile Round rawRound;

    private Propagation(Rig rig, Sizes sizes, Variant variant) {
        this.rig = rig;
        this.sizes = sizes;
        this.keyring = variant.keyring();
        this.encryption = keyring == null ? RecordEncryption.off() : RecordEncryption.with(keyring);
        this.signer = variant.signingKey() == null ? null : new RecordSigner(variant.signingKey());
        this.trusted = variant.signingKey() == null
                ? null
                : VerificationKeys.of(KeySetRole.REFRESHER, List.of(variant.signingKey()));
        this.variant = variant.name();
    }

    /** Every variant in turn, each against raw Kafka carrying the same bytes. */
    static List<Row> run(Rig rig, Sizes sizes) {
        List<Row> rows = new ArrayList<>();
        for (Variant variant : Variant.all()) {
            rows.addAll(new Propagation(rig, sizes, variant).measure());
        }
        return rows;
    }

    private List<Row> measure() {
        String tokensTopic = rig.createTokensTopic("bench.propagation.tokens");
        String rawTopic = rig.createTokensTopic("bench.propagation.raw");
        List<TokenView> views = new ArrayList<>();
        List<RawFollower> followers = new ArrayList<>();
        RedisClient client = rig.redisClient();
        try (StatefulRedisConnection<String, String> redis = client.connect();
                KafkaProducer<String, byte[]> producer =
                        new KafkaProducer<>(rig.refresherProducerConfig("bench-propagation"))) {
            for (int i = 0; i < sizes.views(); i++) {
                views.add(startView(tokensTopic, i));
                followers.add(RawFollower.start(rig, rawTopic, "bench-raw-" + i, this::rawArrived));
            }
            views.forEach(view -> view.awaitReady(Duration.ofSeconds(60)));
            followers.forEach(RawFollower::awaitAssigned);
            publishRounds(redis.sync(), producer, tokensTopic, rawTopic);
        } finally {
            views.forEach(TokenView::close);
            followers.forEach(RawFollower::close);
            client.shutdown();
        }
        log.info(
                "propagation variant={} views={} rounds={} tokencastP99Us={} rawP99Us={}",
                variant,
                sizes.views(),
                sizes.propagationEvents(),
                tokencast.getValueAtPercentile(99) / 1000,
                raw.getValueAtPercentile(99) / 1000);
        return rows();
    }

    private TokenView startView(String topic, int i) {
        TokenView.Builder builder = TokenView.builder()
                .bootstrapServers(rig.bootstrapServers())
                .topic(topic)
                .clientId("bench-view-" + i);
        if (trusted == null) {
            builder.withoutSignatureVerification();
        } else {
            builder.refresherKeys(trusted);
        }
        if (keyring != null) {
            builder.encryptionKeyring(keyring);
        }
        TokenView view = builder.build();
        view.addListener(this::viewArrived);
        return view.start();
    }

    private void viewArrived(Token token) {
        long now = System.nanoTime();
        Round round = viewRound;
        if (round != null && token.version() == round.number()) {
            round.arrived(now);
        }
    }

    private void rawArrived(long number) {
        long now = System.nanoTime();
        Round round = rawRound;
        if (round != null && number == round.number()) {
            round.arrived(now);
        }
    }

    private void publishRounds(
            RedisCommands<String, String> redis,
            KafkaProducer<String, byte[]> producer,
            String tokensTopic,
            String rawTopic) {
        TokenKey key = TokenEvents.key(1);
        String hash = "bench:tokencast:token:" + key.asString();
        EventCodec codec = EventCodec.json();
        int total = sizes.propagationWarmup() + sizes.propagationEvents();
        for (long n = 1; n <= total; n++) {
            boolean measured = n > sizes.propagationWarmup();
            // Sealed and signed before the Redis write, as the refresher does: the clock covers the views'
            // verification and decryption.
            TokenRefreshed event = encryption.seal(TokenEvents.refreshed(key, n, Instant.now()));
            byte[] json = signer == null ? codec.encode(event) : signer.sign(codec.encode(event));
            if (n % 2 == 0) {
                viaTokencast(redis, producer, tokensTopic, hash, key, event, json, measured);
                viaRawKafka(producer, rawTopic, key, n, json, measured);
            } else {
                viaRawKafka(producer, rawTopic, key, n, json, measured);
                viaTokencast(redis, producer, tokensTopic, hash, key, event, json, measured);
            }
        }
    }

    private void viaTokencast(
            RedisCommands<String, String> redis,
            KafkaProducer<String, byte[]> producer,
            String topic,
            String hash,
            TokenKey key,
            TokenRefreshed event,
            byte[] json,
            boolean measured) {
        redis.hset(
                hash,
                Map.of("event", new String(json, StandardCharsets.UTF_8), "version", Long.toString(event.version())));
        Round round =
                new Round(event.version(), System.nanoTime(), measured, new CountDownLatch(sizes.views()), tokencast);
        viewRound = round;
        send(producer, new ProducerRecord<>(topic, key.asString(), json));
        await(round, "token views");
    }

    private void viaRawKafka(
            KafkaProducer<String, byte[]> producer, String topic, TokenKey key, long n, byte[] json, boolean measured) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key.asString(), json);
        record.headers().add(RawFollower.ROUND_HEADER, RawFollower.encode(n));
        Round round = new Round(n, System.nanoTime(), measured, new CountDownLatch(sizes.views()), raw);
        rawRound = round;
        send(producer, record);
        await(round, "raw consumers");
    }

    private static void send(KafkaProducer<String, byte[]> producer, ProducerRecord<String, byte[]> record) {
        try {
            producer.send(record).get(ROUND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not produce to " + record.topic(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted producing to " + record.topic(), e);
        }
    }

    private static void await(Round round, String readers) {
        try {
            if (!round.pending().await(ROUND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(round.pending().getCount() + " " + readers + " did not see round "
                        + round.number() + " within " + ROUND_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for round " + round.number(), e);
        }
    }

    private List<Row> rows() {
        String what = "propagation to " + sizes.views() + " views, " + variant + ", ";
        double p99 = millis(tokencast.getValueAtPercentile(99));
        double rawP99 = millis(raw.getValueAtPercentile(99));
        return List.of(
                new Row(
                        what + "p50",
                        "ms",
                        millis(tokencast.getValueAtPercentile(50)),
                        millis(raw.getValueAtPercentile(50)),
                        "raw Kafka",
                        "—",
                        Row.Verdict.INFO),
                new Row(
                        what + "p99",
                        "ms",
                        p99,
                        rawP99,
                        "raw Kafka",
                        "≤ 1.5× raw",
                        Row.Verdict.of(p99 <= 1.5 * rawP99)),
                new Row(
                        what + "max",
                        "ms",
                        millis(tokencast.getMaxValue()),
                        millis(raw.getMaxValue()),
                        "raw Kafka",
                        "—",
                        Row.Verdict.INFO));
    }

    private static double millis(double nanos) {
        return nanos / 1_000_000.0;
    }
}
