package io.tokencast.benchmarks;

import io.tokencast.consumer.TokenView;
import io.tokencast.schema.TokenKey;
import io.tokencast.trust.encryption.EncryptionKeyring;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The read-path variants compared inside one JVM: the plaintext, encrypted and signed views are started side by
 * side and read in short interleaved slices, each slice the same number of {@code token(key)} calls over the
 * view's keys in shuffled order, the order of the variants rotating every round. Whatever the machine does
 * meanwhile (other tenants of the host share the caches a 10k-key read lives in) lands on all three alike, which
 * separate JVMs, minutes apart, cannot promise. The result of each call goes to a JMH {@link Blackhole}, as in
 * {@link TokenReadBenchmark}, so nothing is read beyond what {@code token(key)} reads.
 */
final class InterleavedRead {

    private static final int WARMUP_ROUNDS = 20;
    private static final Duration LAYOUT_GRACE = Duration.ofSeconds(2);

    private InterleavedRead() {}

    /** Median nanoseconds per read of each variant, by name, over {@code rounds} interleaved rounds. */
    static Map<String, Double> compare(
            String bootstrapServers, List<ReadPath.Variant> variants, int rounds, int readsPerSlice) {
        List<TokenView> views = new ArrayList<>();
        try {
            List<TokenKey[]> keys = new ArrayList<>();
            for (ReadPath.Variant variant : variants) {
                TokenView view = start(
                        bootstrapServers,
                        variant.topic(),
                        variant.keyring(),
                        variant.refresherKeys(),
                        "bench-read-interleaved-" + variant.name(),
                        false);
                views.add(view);
                keys.add(shuffled(view));
            }
            // The views lay their held versions out once every restored key has settled (keys() settled them):
            // give their readers a poll or two, then let a full GC compact the heap as a service's would be.
            LockSupport.parkNanos(LAYOUT_GRACE.toNanos());
            System.gc();
            Blackhole sink = new Blackhole(
                    "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
            for (int round = 0; round < WARMUP_ROUNDS; round++) {
                for (int v = 0; v < views.size(); v++) {
                    slice(views.get(v), keys.get(v), readsPerSlice, sink);
                }
            }
            Map<String, List<Double>> perRound = new LinkedHashMap<>();
            for (int round = 0; round < rounds; round++) {
                for (int i = 0; i < views.size(); i++) {
                    int v = (round + i) % views.size();
                    double nanos = slice(views.get(v), keys.get(v), readsPerSlice, sink);
                    perRound.computeIfAbsent(variants.get(v).name(), name -> new ArrayList<>())
                            .add(nanos);
                }
            }
            Map<String, Double> medians = new LinkedHashMap<>();
            perRound.forEach((name, values) -> medians.put(name, ReadPath.median(values)));
            return medians;
        } finally {
            views.forEach(TokenView::close);
        }
    }

    /** Nanoseconds per call of {@code reads} calls of {@code token(key)}, walking {@code keys} in order. */
    private static double slice(TokenView view, TokenKey[] keys, int reads, Blackhole sink) {
        int position = 0;
        long started = System.nanoTime();
        for (int i = 0; i < reads; i++) {
            sink.consume(view.token(keys[position]));
            if (++position == keys.length) {
                position = 0;
            }
        }
        return (System.nanoTime() - started) / (double) reads;
    }

    /**
     * A started, ready view over {@code topic}: {@code keyring} a keyring file (empty: plaintext), {@code
     * refresherKeys} the refresher's public JWK set (empty: no signature check). Also {@link TokenReadBenchmark}'s.
     */
    static TokenView start(
            String bootstrapServers,
            String topic,
            String keyring,
            String refresherKeys,
            String clientId,
            boolean heartbeats) {
        TokenView.Builder builder = TokenView.builder()
                .bootstrapServers(bootstrapServers)
                .topic(topic)
                .clientId(clientId)
                .heartbeats(heartbeats);
        if (refresherKeys.isEmpty()) {
            builder.withoutSignatureVerification();
        } else {
            builder.refresherKeysFile(Path.of(refresherKeys));
        }
        if (!keyring.isEmpty()) {
            try {
                builder.encryptionKeyring(EncryptionKeyring.parse(Files.readString(Path.of(keyring))));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the benchmark keyring " + keyring, e);
            }
        }
        TokenView view = builder.build().start();
        view.awaitReady(Duration.ofMinutes(2));
        return view;
    }

    /**
     * Keys equal to the view's (reading them settles every key restored unverified), in the read benchmark's
     * shuffled order. Also {@link TokenReadBenchmark}'s.
     */
    static TokenKey[] shuffled(TokenView view) {
        List<TokenKey> held = new ArrayList<>(view.keys());
        Collections.sort(held);
        Collections.shuffle(held, new Random(42));
        if (held.isEmpty()) {
            throw new IllegalStateException("a read-path view holds no tokens; the suite seeds them");
        }
        // Keys of the caller's own, as in TokenReadBenchmark.
        return held.stream().map(key -> TokenKey.parse(key.asString())).toArray(TokenKey[]::new);
    }
}
