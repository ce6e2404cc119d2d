package io.tokencast.consumer;

import static io.tokencast.consumer.Events.key;
import static io.tokencast.consumer.Events.version;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokencast.schema.TokenKey;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The read path's promises: no lock, no allocation, in a concurrent map of immutable snapshots laid out together
 * once the view is ready.
 */
class TokenTableTest {

    @Test
    void readingATokenAllocatesNothing() {
        // given a ready table on the system clock (its millis() reads currentTimeMillis, allocation-free)
        TokenTable table = new TokenTable(Clock.systemUTC(), Duration.ofMinutes(2), "t");
        TokenKey key = key("wx0000000000000020");
        table.apply(version(key, 1, Clock.systemUTC().instant()));
        table.markReady();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long sink = 0;
        for (int i = 0; i < 20_000; i++) { // warm up
            sink += table.token(key).version() + table.state(key).ordinal();
        }

        // when it is read a hundred thousand times
        long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < 100_000; i++) {
            sink += table.token(key).version() + table.state(key).ordinal();
        }
        long allocated = threads.getThreadAllocatedBytes(id) - before;

        // then reads allocated nothing: under one byte per read covers the JIT's and the probe's own bytes,
        // where a single Instant per read would be 2.4 MB
        assertThat(sink).isPositive();
        assertThat(allocated).isLessThan(100_000);
    }

    @Test
    void becomingReadyLaysTheHeldVersionsOutAnewAndKeepsEveryOne() {
        // given a table that restored three keys, one of them removed since
        Instant now = Clock.systemUTC().instant();
        TokenTable table = new TokenTable(Clock.systemUTC(), Duration.ofMinutes(2), "t");
        List<TokenKey> decoded =
                List.of(key("wx0000000000000031"), key("wx0000000000000032"), key("wx0000000000000033"));
        for (TokenKey key : decoded) {
            table.apply(version(key, 2, now));
        }
        table.remove(decoded.get(2));
        Map<TokenKey, ?> before = table.snapshot();
        Set<TokenKey> keysBefore = table.keys();

        // when it becomes ready, with nothing left to settle
        table.markReady();
        table.compactWhenSettled();

        // then it serves the same versions, under map keys allocated anew (not the decoded records' instances)
        assertThat(table.snapshot()).isEqualTo(before);
        assertThat(table.heldVersion(decoded.get(2))).isEqualTo(2);
        assertThat(table.state(decoded.get(2))).isEqualTo(TokenState.ABSENT);
        for (TokenKey key : decoded.subList(0, 2)) {
            assertThat(table.token(key).version()).isEqualTo(2);
        }
        assertThat(table.keys()).containsExactlyInAnyOrderElementsOf(decoded.subList(0, 2));
        assertThat(table.keys())
                .allSatisfy(held -> assertThat(decoded).noneMatch(key -> key == held))
                .allSatisfy(held -> assertThat(keysBefore).noneMatch(key -> key == held));
    }
}
