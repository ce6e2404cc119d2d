package io.tokencast.refresher.refresh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tokencast.refresher.leader.Leadership;
import io.tokencast.refresher.policy.FetchRateLimiter;
import io.tokencast.refresher.wechat.ManagedCredential;
import io.tokencast.refresher.wechat.WeChatApi;
import io.tokencast.schema.RefreshReason;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The scheduler ticks without Spring: as leader it recovers, then refreshes the due keys; stopping lets go. */
class RefreshSchedulerTest {

    private static final TokenKey KEY = TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, "wxticked");

    private final RefresherFixture fixture = new RefresherFixture();
    private final TestLeadership leadership = new TestLeadership();
    private final AtomicInteger topicReads = new AtomicInteger();
    private final AtomicInteger replayChecks = new AtomicInteger();

    @Test
    void leadsRecoversAndRefreshesTheDueKeyThenReleasesLeadershipWhenStopped() {
        RefreshScheduler scheduler = scheduler();

        scheduler.start();
        try {
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(
                            () -> assertThat(fixture.store.read(KEY).version()).isEqualTo(1));
        } finally {
            scheduler.stop();
        }

        assertThat(topicReads).as("recovery read the topic on becoming leader").hasValue(1);
        assertThat(replayChecks.get()).isPositive();
        assertThat(fixture.publisher.tokens).singleElement().satisfies(e -> {
            assertThat(e.reason()).isEqualTo(RefreshReason.STARTUP);
            assertThat(e.refresher()).isEqualTo("ticker");
        });
        assertThat(scheduler.isRunning()).isFalse();
        assertThat(leadership.released).hasValue(1);
        int renewals = leadership.renewals.get();
        await().during(Duration.ofMillis(200))
                .atMost(Duration.ofSeconds(2))
                .until(() -> leadership.renewals.get() == renewals);
    }

    @Test
    void aFailingTickIsCountedAndTheNextTickRunsAgain() {
        leadership.failures.set(3);
        RefreshScheduler scheduler = scheduler();

        scheduler.start();
        try {
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(
                            () -> assertThat(fixture.store.read(KEY).version()).isEqualTo(1));
        } finally {
            scheduler.stop();
        }

        assertThat(fixture.meters
                        .get("tokencast.refresh.tick.failures")
                        .counter()
                        .count())
                .isEqualTo(3);
    }

    private RefreshScheduler scheduler() {
        Refresher refresher = fixture.refresher("ticker", new ManagedCredential(KEY, WeChatApi.STABLE, "secret"))
                .build();
        return RefreshScheduler.builder(refresher)
                .leadership(leadership)
                .topic(wanted -> {
                    topicReads.incrementAndGet();
                    return Map.of();
                })
                .replay((observed, stillLeading) -> replayChecks.incrementAndGet())
                .rateLimiter(new FetchRateLimiter(10))
                .tick(Duration.ofMillis(10))
                .build();
    }

    /** Leads from its first renewal on; can be told to fail the next renewals, as Redis would when down. */
    private static final class TestLeadership implements Leadership {

        final AtomicInteger renewals = new AtomicInteger();
        final AtomicInteger released = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();

        @Override
        public Status renew() {
            if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new IllegalStateException("redis down (test)");
            }
            return renewals.getAndIncrement() == 0 ? Status.ACQUIRED : Status.HELD;
        }

        @Override
        public boolean isLeader() {
            return renewals.get() > 0;
        }

        @Override
        public Optional<String> leaderId() {
            return Optional.of("ticker");
        }

        @Override
        public void release() {
            released.incrementAndGet();
        }
    }
}
