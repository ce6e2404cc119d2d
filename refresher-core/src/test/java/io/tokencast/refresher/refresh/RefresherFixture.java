package io.tokencast.refresher.refresh;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tokencast.refresher.policy.StandardRefreshPolicy;
import io.tokencast.refresher.signing.RecordSigning;
import io.tokencast.refresher.wechat.FetchedToken;
import io.tokencast.refresher.wechat.ManagedCredential;
import io.tokencast.schema.RefreshReason;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The setup the refresh engine's unit tests share, written once: a refresher's ports as in-memory stand-ins (a
 * Redis store, a broker, uncontended locks, an open quota, the JVM's test signing key), a clock that moves only
 * when told, and a WeChat that answers what the test queued in {@link #answers}, else a two-hour token named after
 * the account. A test builds with {@link #refresher} and replaces the port it is about.
 */
final class RefresherFixture {

    final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T01:00:00Z"));
    final InMemoryTokenStore store = new InMemoryTokenStore();
    final RecordingPublisher publisher = new RecordingPublisher();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final RecordSigning signing = TestRecordSigning.recordSigning(meters);
    final StandardRefreshPolicy policy =
            new StandardRefreshPolicy(Duration.ofSeconds(2), Duration.ofMinutes(5), Duration.ofHours(1));
    /** What WeChat answers next, in order; an answer may throw, as WeChat's errors do. */
    final Deque<Supplier<FetchedToken>> answers = new ArrayDeque<>();
    /** The fetches WeChat was asked for. */
    final AtomicInteger fetches = new AtomicInteger();
    /** Runs inside each fetch, before WeChat answers: what another writer does meanwhile. */
    Runnable beforeFetch = () -> {};

    /** A refresher of {@code credentials}, named {@code instanceId} in its events, with every port set. */
    RefresherBuilder refresher(String instanceId, ManagedCredential... credentials) {
        return Refresher.builder()
                .credentials(List.of(credentials))
                .store(store)
                .locks(TestDoubles.uncontendedLocks())
                .source((credential, mode) -> {
                    fetches.incrementAndGet();
                    beforeFetch.run();
                    return answers.isEmpty()
                            ? token("token-of-" + credential.key().account()).get()
                            : answers.pop().get();
                })
                .quota(TestDoubles.openQuota(1))
                .policy(policy)
                .publisher(publisher)
                .signing(signing)
                .meterRegistry(meters)
                .clock(clock)
                .instanceId(instanceId);
    }

    /** WeChat's answer of {@code value}, valid for two hours from when it is fetched. */
    Supplier<FetchedToken> token(String value) {
        return () -> new FetchedToken(value, Duration.ofSeconds(7200), clock.instant());
    }

    /** Version {@code version} of {@code key} holding {@code token}, as another replica wrote it now. */
    TokenRefreshed version(TokenKey key, long version, String token) {
        Instant now = clock.instant();
        return TokenRefreshed.of(
                key,
                version,
                token,
                now,
                now.plusSeconds(7200),
                now.plusSeconds(5400),
                RefreshReason.SCHEDULED,
                "other",
                null);
    }

    /** An operator's command; {@code ifFingerprint}, when not null, is the token a report names. */
    static CommandContext command(String ifFingerprint) {
        return new CommandContext(UUID.randomUUID(), ifFingerprint, false, "operator");
    }
}
