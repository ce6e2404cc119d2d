package io.tokencast.refresher.refresh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tokencast.refresher.config.CredentialCatalog;
import io.tokencast.refresher.leader.KeyLocks;
import io.tokencast.refresher.leader.Leadership;
import io.tokencast.refresher.metrics.RefreshMetrics;
import io.tokencast.refresher.policy.FetchRateLimiter;
import io.tokencast.refresher.policy.StandardRefreshPolicy;
import io.tokencast.refresher.signing.RecordSigning;
import io.tokencast.refresher.wechat.FetchedToken;
import io.tokencast.refresher.wechat.ManagedCredential;
import io.tokencast.refresher.wechat.WeChatApi;
import io.tokencast.schema.RefreshReason;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import io.tokencast.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The scheduler ticks without Spring: as leader it recovers, then refreshes the due keys; stopping lets go. */
class RefreshSchedulerTest {

    private static final TokenKey KEY = TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, "wxticked");

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T01:00:00Z"));
    private final InMemoryTokenStore store = new InMemoryTokenStore();
    private final RecordingPublisher publisher = new RecordingPublisher();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RefreshMetrics metrics = new RefreshMetrics(registry, clock);
    private final RecordSigning signing = TestRecordSigning.recordSigning(registry);
    private final CredentialCatalog catalog =
            new CredentialCatalog(List.of(new ManagedCredential(KEY, WeChatApi.STABLE, "secret")));
    private final KeyLocks locks = TestDoubles.uncontendedLocks();
    private final Publication publication = new Publication(publisher, store, locks, signing);
    private final TestLeadership leadership = new TestLeadership();
    private final AtomicInteger topicReads = new AtomicInteger();
    private final AtomicInteger replayChecks = new AtomicInteger();

    @Test
    void leadsRecoversAndRefreshesTheDueKeyThenReleasesLeadershipWhenStopped() {
        RefreshScheduler scheduler = scheduler();

        scheduler.start();
        try {
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(store.read(KEY).version()).isEqualTo(1));
        } finally {
            scheduler.stop();
        }

        assertThat(topicReads).as("recovery read the topic on becoming leader").hasValue(1);
        assertThat(replayChecks.get()).isPositive();
        assertThat(publisher.tokens).singleElement().satisfies(e -> {
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
                    .untilAsserted(() -> assertThat(store.read(KEY).version()).isEqualTo(1));
        } finally {
            scheduler.stop();
        }

        assertThat(registry.get("tokencast.refresh.tick.failures").counter().count())
                .isEqualTo(3);
    }

    private RefreshScheduler scheduler() {
        Refresher refresher = Refresher.builder()
                .catalog(catalog)
                .store(store)
                .locks(locks)
                .source((credential, mode) -> new FetchedToken("token-1", Duration.ofHours(2), clock.instant()))
                .quota(TestDoubles.openQuota(10))
                .policy(new StandardRefreshPolicy(Duration.ofSeconds(2), Duration.ofMinutes(5), Duration.ofHours(1)))
                .publisher(publisher)
                .publication(publication)
                .metrics(metrics)
                .clock(clock)
                .instanceId("ticker")
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
