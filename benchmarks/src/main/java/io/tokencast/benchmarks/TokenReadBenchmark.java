package io.tokencast.benchmarks;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.tokencast.consumer.Token;
import io.tokencast.consumer.TokenView;
import io.tokencast.schema.TokenKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The read path: {@code TokenView.token(key)} against what the seeds did, a Redis GET per call over one
 * shared Lettuce connection. Both read keys in the same shuffled order from data the suite loaded before the
 * run ({@link ReadPath}), so neither side pays for setup inside a measurement.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TokenReadBenchmark {

    /** A started, ready view over the suite's tokens topic. */
    @State(Scope.Benchmark)
    public static class View {

        @Param("")
        public String bootstrapServers;

        @Param("")
        public String topic;

        /** A keyring file: the view decrypts on apply. Empty: plaintext tokens, no keyring. */
        @Param("")
        public String keyring;

        /** The refresher's public JWK set: the view verifies each key once. Empty: unsigned tokens, no check. */
        @Param("")
        public String refresherKeys;

        TokenView view;
        TokenKey[] keys;

        @Setup(Level.Trial)
        public void start() {
            // A view started as a service starts one (heartbeats on); its keys are the caller's own, equal to the
            // view's, so a read pays for the key comparison a service's read pays for.
            view = InterleavedRead.start(bootstrapServers, topic, keyring, refresherKeys, "bench-read", true);
            keys = InterleavedRead.shuffled(view);
        }

        @TearDown(Level.Trial)
        public void close() {
            view.close();
        }
    }

    /** One Lettuce connection shared by all benchmark threads, as a service shares it. */
    @State(Scope.Benchmark)
    public static class Redis {

        @Param("")
        public String redisUri;

        RedisClient client;
        StatefulRedisConnection<String, String> connection;
        RedisCommands<String, String> commands;
        String[] keys;

        @Setup(Level.Trial)
        public void connect() {
            client = RedisClient.create(redisUri);
            connection = client.connect();
            commands = connection.sync();
            List<String> held = new ArrayList<>(commands.keys(ReadPath.SEED_PREFIX + "*"));
            Collections.sort(held);
            Collections.shuffle(held, new Random(42));
            keys = held.toArray(String[]::new);
            if (keys.length == 0) {
                throw new IllegalStateException("Redis at " + redisUri + " holds no seed tokens; the suite seeds them");
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            connection.close();
            client.shutdown();
        }
    }

    /** Each thread walks the shuffled keys from its own starting point. */
    @State(Scope.Thread)
    public static class Cursor {

        int position = ThreadLocalRandom.current().nextInt(1 << 13);

        int next(int length) {
            if (++position >= length) {
                position = 0;
            }
            return position;
        }
    }

    /**
     * What {@code token(key)} is made of, for reading its number (run by hand, see the README): the same
     * lookup in a bare {@link ConcurrentHashMap}, and the clock read of the expiry check.
     */
    @State(Scope.Benchmark)
    public static class Floor {

        @Param("10000")
        public int keys;

        final Map<TokenKey, Token> map = new ConcurrentHashMap<>();
        TokenKey[] order;
        final Clock clock = Clock.systemUTC();

        @Setup(Level.Trial)
        public void fill() {
            List<TokenKey> all = new ArrayList<>();
            Instant now = Instant.now();
            for (int i = 0; i < keys; i++) {
                TokenKey key = TokenEvents.key(i);
                map.put(key, Token.of(key, TokenEvents.accessToken(), 1, now, now.plus(Duration.ofHours(2))));
                all.add(key);
            }
            Collections.shuffle(all, new Random(42));
            order = all.toArray(TokenKey[]::new);
        }
    }

    @Benchmark
    public Token floorMapGet(Floor floor, Cursor cursor) {
        return floor.map.get(floor.order[cursor.next(floor.order.length)]);
    }

    @Benchmark
    public long floorClockMillis(Floor floor) {
        return floor.clock.millis();
    }

    @Benchmark
    public Token tokenView(View view, Cursor cursor) {
        return view.view.token(view.keys[cursor.next(view.keys.length)]);
    }

    @Benchmark
    public String redisGet(Redis redis, Cursor cursor) {
        return redis.commands.get(redis.keys[cursor.next(redis.keys.length)]);
    }
}
