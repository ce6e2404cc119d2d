package io.tokencast.refresher.service.quota;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokencast.refresher.service.SharedRedis;
import io.tokencast.refresher.service.config.TokencastProperties;
import io.tokencast.refresher.wechat.FetchMode;
import io.tokencast.refresher.wechat.ManagedCredential;
import io.tokencast.refresher.wechat.WeChatApi;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import io.tokencast.testkit.LocalInfrastructure;
import io.tokencast.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.StringRedisTemplate;

/** {@link RedisQuotaGuard} against the testkit's real Redis. */
class RedisQuotaGuardIT {

    // 23:59 in Asia/Shanghai on 2026-03-01, still 15:59 on the same UTC day.
    private static final Instant BEFORE_SHANGHAI_MIDNIGHT = Instant.parse("2026-03-01T15:59:00Z");

    private static SharedRedis redisConnection;
    private static StringRedisTemplate redis;

    private final MutableClock clock = new MutableClock(BEFORE_SHANGHAI_MIDNIGHT);
    private String prefix;

    @BeforeAll
    static void connect() {
        redisConnection = SharedRedis.connect();
        redis = redisConnection.template();
    }

    @AfterAll
    static void disconnect() {
        redisConnection.close();
    }

    @BeforeEach
    void isolate() {
        prefix = LocalInfrastructure.uniqueName("quota-it") + ":";
    }

    private RedisQuotaGuard guard(int classic, int stable, int stableForce, int wecom) {
        return new RedisQuotaGuard(
                redis, prefix, new TokencastProperties.Quota(classic, stableForce, stable, wecom, 400, 100), clock);
    }

    private static ManagedCredential credential(WeChatApi api) {
        TokenKey key = api == WeChatApi.WECOM
                ? TokenKey.of(TokenKind.WECOM_ACCESS_TOKEN, "ww1.1000002")
                : TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, "wx0000000000000001");
        return new ManagedCredential(key, api, "secret");
    }

    @Test
    void refusesTheFetchAfterTheBudget() {
        RedisQuotaGuard guard = guard(3, 100, 20, 100);
        ManagedCredential app = credential(WeChatApi.CLASSIC);

        assertThat(List.of(
                        guard.tryAcquire(app, FetchMode.NORMAL),
                        guard.tryAcquire(app, FetchMode.NORMAL),
                        guard.tryAcquire(app, FetchMode.NORMAL),
                        guard.tryAcquire(app, FetchMode.NORMAL)))
                .containsExactly(true, true, true, false);
        assertThat(guard.usedToday(app, FetchMode.NORMAL)).isEqualTo(3);
        assertThat(guard.dailyLimit(app, FetchMode.NORMAL)).isEqualTo(3);
    }

    @Test
    void countsUnderTheDocumentedKeyWithATwoDayLife() {
        RedisQuotaGuard guard = guard(3, 100, 20, 100);

        guard.tryAcquire(credential(WeChatApi.CLASSIC), FetchMode.NORMAL);

        String key = prefix + "quota:wechat-access-token/wx0000000000000001:classic:2026-03-01";
        assertThat(redis.opsForValue().get(key)).isEqualTo("1");
        assertThat(redis.getExpire(key, TimeUnit.SECONDS)).isBetween(47L * 3600, 48L * 3600);
    }

    @Test
    void startsAfreshOnTheNextShanghaiDay() {
        RedisQuotaGuard guard = guard(3, 100, 20, 100);
        ManagedCredential app = credential(WeChatApi.CLASSIC);
        for (int i = 0; i < 3; i++) {
            guard.tryAcquire(app, FetchMode.NORMAL);
        }
        assertThat(guard.tryAcquire(app, FetchMode.NORMAL)).isFalse();

        clock.advance(Duration.ofMinutes(2));

        assertThat(guard.usedToday(app, FetchMode.NORMAL)).isZero();
        assertThat(guard.tryAcquire(app, FetchMode.NORMAL)).isTrue();
        assertThat(redis.hasKey(prefix + "quota:wechat-access-token/wx0000000000000001:classic:2026-03-02"))
                .isTrue();
    }

    @Test
    void keepsOneBudgetPerBucket() {
        RedisQuotaGuard guard = guard(5, 4, 2, 3);
        ManagedCredential stable = credential(WeChatApi.STABLE);
        ManagedCredential wecom = credential(WeChatApi.WECOM);

        assertThat(guard.tryAcquire(stable, FetchMode.FORCE)).isTrue();
        assertThat(guard.tryAcquire(stable, FetchMode.FORCE)).isTrue();
        assertThat(guard.tryAcquire(stable, FetchMode.FORCE)).isFalse();
        assertThat(guard.tryAcquire(stable, FetchMode.NORMAL)).isTrue();
        assertThat(guard.tryAcquire(wecom, FetchMode.FORCE)).isTrue();

        assertThat(guard.usedToday(stable, FetchMode.FORCE)).isEqualTo(2);
        assertThat(guard.usedToday(stable, FetchMode.NORMAL)).isEqualTo(1);
        assertThat(guard.usedToday(wecom, FetchMode.NORMAL)).isEqualTo(1);
        assertThat(guard.dailyLimit(stable, FetchMode.FORCE)).isEqualTo(2);
        assertThat(guard.dailyLimit(stable, FetchMode.NORMAL)).isEqualTo(4);
        assertThat(guard.dailyLimit(wecom, FetchMode.NORMAL)).isEqualTo(3);
    }

    @Test
    void aZeroBudgetRefusesEverything() {
        RedisQuotaGuard guard = guard(0, 100, 20, 100);

        assertThat(guard.tryAcquire(credential(WeChatApi.CLASSIC), FetchMode.NORMAL))
                .isFalse();
        assertThat(guard.usedToday(credential(WeChatApi.CLASSIC), FetchMode.NORMAL))
                .isZero();
    }

    @Test
    void racingThreadsNeverExceedTheBudget() throws Exception {
        RedisQuotaGuard guard = guard(100, 100, 25, 100);
        ManagedCredential app = credential(WeChatApi.STABLE);
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> granted = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                granted.add(pool.submit(() -> {
                    start.await();
                    int mine = 0;
                    for (int i = 0; i < 20; i++) {
                        if (guard.tryAcquire(app, FetchMode.FORCE)) {
                            mine++;
                        }
                    }
                    return mine;
                }));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> f : granted) {
                total += f.get(30, TimeUnit.SECONDS);
            }

            assertThat(total).isEqualTo(25);
            assertThat(guard.usedToday(app, FetchMode.FORCE)).isEqualTo(25);
        } finally {
            pool.shutdownNow();
        }
    }
}
