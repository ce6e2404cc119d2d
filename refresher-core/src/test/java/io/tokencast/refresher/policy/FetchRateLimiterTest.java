package io.tokencast.refresher.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FetchRateLimiterTest {

    private static final Instant SECOND = Instant.parse("2026-03-01T08:00:00Z");

    @Test
    void startsAtMostTheLimitInOneSecond() {
        FetchRateLimiter limiter = new FetchRateLimiter(3);

        assertThat(List.of(
                        limiter.tryAcquire(SECOND),
                        limiter.tryAcquire(SECOND.plusMillis(300)),
                        limiter.tryAcquire(SECOND.plusMillis(600)),
                        limiter.tryAcquire(SECOND.plusMillis(999))))
                .containsExactly(true, true, true, false);
    }

    @Test
    void startsAfreshInTheNextSecond() {
        FetchRateLimiter limiter = new FetchRateLimiter(1);
        limiter.tryAcquire(SECOND);

        assertThat(limiter.tryAcquire(SECOND.plusMillis(999))).isFalse();
        assertThat(limiter.tryAcquire(SECOND.plusSeconds(1))).isTrue();
    }

    @Test
    void doesNotStarveWhenTheClockIsSetBack() {
        FetchRateLimiter limiter = new FetchRateLimiter(1);
        limiter.tryAcquire(SECOND);

        assertThat(limiter.tryAcquire(SECOND.minusSeconds(60))).isTrue();
    }

    @Test
    void concurrentCallersNeverExceedTheLimit() throws Exception {
        FetchRateLimiter limiter = new FetchRateLimiter(50);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> {
                    start.await();
                    int granted = 0;
                    for (int i = 0; i < 100; i++) {
                        granted += limiter.tryAcquire(SECOND) ? 1 : 0;
                    }
                    return granted;
                }));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> f : results) {
                total += f.get(10, TimeUnit.SECONDS);
            }

            assertThat(total).isEqualTo(50);
        } finally {
            pool.shutdownNow();
        }
    }
}
