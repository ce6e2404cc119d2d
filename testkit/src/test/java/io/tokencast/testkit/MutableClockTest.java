package io.tokencast.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MutableClockTest {

    private static final Instant START = Instant.parse("2025-03-01T00:00:00Z");

    @Test
    void standsStillUntilAdvancedOrSet() {
        // given
        MutableClock clock = new MutableClock(START);

        // when / then
        assertThat(clock.instant()).isEqualTo(START);
        assertThat(clock.advance(Duration.ofSeconds(301))).isEqualTo(START.plusSeconds(301));
        clock.set(START.minusSeconds(5));
        assertThat(clock.instant()).isEqualTo(START.minusSeconds(5));
        assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void zonedCopiesShareTheSameTime() {
        // given
        MutableClock clock = new MutableClock(START);
        Clock shanghai = clock.withZone(ZoneId.of("Asia/Shanghai"));

        // when
        clock.advance(Duration.ofHours(1));

        // then
        assertThat(shanghai.instant()).isEqualTo(START.plusSeconds(3600));
        assertThat(shanghai.getZone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
    }

    @Test
    void concurrentAdvancesAreNotLost() throws Exception {
        // given
        MutableClock clock = new MutableClock(START);
        ExecutorService pool = Executors.newFixedThreadPool(4);

        // when
        for (int i = 0; i < 4000; i++) {
            pool.execute(() -> clock.advance(Duration.ofSeconds(1)));
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

        // then
        assertThat(clock.instant()).isEqualTo(START.plusSeconds(4000));
    }
}
