package io.tokencast.refresher.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokencast.refresher.SharedRedis;
import io.tokencast.schema.RefreshReason;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.testkit.LocalInfrastructure;
import io.tokencast.testkit.MutableClock;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.StringRedisTemplate;

class RedisTokenStoreIT {

    private static final TokenKey KEY = TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, "wxstore");
    private static SharedRedis redisConnection;
    private static StringRedisTemplate redis;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T01:00:00Z"));
    private final String prefix = LocalInfrastructure.uniqueName("store") + ":";
    private final RedisTokenStore store = new RedisTokenStore(redis, prefix, clock);

    @BeforeAll
    static void connect() {
        redisConnection = SharedRedis.connect();
        redis = redisConnection.template();
    }

    @AfterAll
    static void disconnect() {
        redisConnection.close();
    }

    @Test
    void aWriterWhoseVersionIsStaleLoses() {
        assertThat(store.compareAndSet(version(1, "a"), 0)).isTrue();
        assertThat(store.compareAndSet(version(2, "b"), 1)).isTrue();

        assertThat(store.compareAndSet(version(2, "late"), 1)).isFalse();

        StoredToken stored = store.read(KEY);
        assertThat(stored.version()).isEqualTo(2);
        assertThat(stored.token().token()).isEqualTo("b");
    }

    @Test
    void theVersionOutlivesTheTokensExpiryInRedis() {
        store.compareAndSet(version(1, "a"), 0);
        store.compareAndSet(version(2, "b"), 1);
        redis.delete(prefix + "token:" + KEY.asString());

        StoredToken stored = store.read(KEY);

        assertThat(stored.token()).isNull();
        assertThat(stored.version()).isEqualTo(2);
        assertThat(store.compareAndSet(version(1, "again"), 0)).isFalse();
        assertThat(store.compareAndSet(version(3, "c"), 2)).isTrue();
    }

    @Test
    void restoreTakesOnlyWhatIsNewerThanRedis() {
        store.compareAndSet(version(1, "a"), 0);
        store.compareAndSet(version(2, "b"), 1);

        assertThat(store.restore(version(1, "old"))).isFalse();
        assertThat(store.restore(version(2, "same"))).isFalse();
        assertThat(store.restore(version(5, "topic"))).isTrue();

        assertThat(store.read(KEY).version()).isEqualTo(5);
        assertThat(store.read(KEY).token().token()).isEqualTo("topic");
    }

    @Test
    void anExpiredTokenFromTheTopicRestoresOnlyItsVersion() {
        TokenRefreshed expired = version(7, "dead");
        clock.set(expired.expiresAt().plusSeconds(1));

        assertThat(store.restore(expired)).isTrue();

        assertThat(store.read(KEY).token()).isNull();
        assertThat(store.read(KEY).version()).isEqualTo(7);
    }

    @Test
    void retryStateAndRecoveryMarkRoundTrip() {
        RetryState retry = new RetryState(3, clock.instant().plusSeconds(8), "-1", false);
        store.saveRetry(KEY, retry);
        assertThat(store.read(KEY).retry()).isEqualTo(retry);
        store.clearRetry(KEY);
        assertThat(store.read(KEY).retry()).isNull();

        assertThat(store.isRecovered()).isFalse();
        store.markRecovered("test");
        assertThat(store.isRecovered()).isTrue();
    }

    private TokenRefreshed version(long version, String token) {
        Instant now = clock.instant();
        return TokenRefreshed.of(
                KEY,
                version,
                token,
                now,
                now.plusSeconds(7200),
                now.plusSeconds(5400),
                RefreshReason.SCHEDULED,
                "t",
                null);
    }
}
