package io.tokencast.refresher.refresh;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tokencast.refresher.encryption.KeyGate;
import io.tokencast.refresher.metrics.RefreshMetrics;
import io.tokencast.refresher.policy.StandardRefreshPolicy;
import io.tokencast.refresher.refresh.RefreshOutcome.Result;
import io.tokencast.refresher.wechat.FetchedToken;
import io.tokencast.refresher.wechat.ManagedCredential;
import io.tokencast.refresher.wechat.WeChatApi;
import io.tokencast.refresher.wechat.WeChatException;
import io.tokencast.schema.AttemptOutcome;
import io.tokencast.schema.Fingerprint;
import io.tokencast.schema.RefreshReason;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.testkit.MutableClock;
import io.tokencast.trust.encryption.RecordEncryption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class RefresherTest {

    private static final TokenKey STABLE = TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, "wxstable");
    private static final TokenKey CLASSIC = TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, "wxclassic");

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T01:00:00Z"));
    private final InMemoryTokenStore store = new InMemoryTokenStore();
    private final RecordingPublisher publisher = new RecordingPublisher();
    private final Deque<Supplier<FetchedToken>> answers = new ArrayDeque<>();
    private final AtomicInteger fetches = new AtomicInteger();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RefreshMetrics metrics = new RefreshMetrics(registry, clock);
    private final Publication publication = new Publication(
            publisher, store, TestDoubles.uncontendedLocks(), TestRecordSigning.recordSigning(registry));
    private boolean quotaLeft = true;
    private boolean lockedElsewhere;
    private Runnable beforeFetch = () -> {};

    private final StandardRefreshPolicy policy =
            new StandardRefreshPolicy(Duration.ofSeconds(2), Duration.ofMinutes(5), Duration.ofHours(1));

    private final Refresher refresher = Refresher.builder()
            .credentials(List.of(
                    new ManagedCredential(STABLE, WeChatApi.STABLE, "s1"),
                    new ManagedCredential(CLASSIC, WeChatApi.CLASSIC, "s2")))
            .store(store)
            .locks(TestDoubles.locks(() -> lockedElsewhere))
            .source((credential, mode) -> {
                fetches.incrementAndGet();
                beforeFetch.run();
                return answers.pop().get();
            })
            .quota(TestDoubles.quota(() -> quotaLeft, 1))
            .policy(policy)
            .publisher(publisher)
            .publication(publication)
            .metrics(metrics)
            .clock(clock)
            .instanceId("test-refresher")
            .retryInitial(Duration.ofSeconds(2))
            .encryption(RecordEncryption.off())
            .keyGate(KeyGate.open())
            .build();

    @Test
    void storesAndPublishesVersionOneOfANewKey() {
        answers.add(token("first"));

        RefreshOutcome outcome = refresher.refresh(CLASSIC, RefreshReason.STARTUP, null);

        assertThat(outcome.result()).isEqualTo(Result.REFRESHED);
        assertThat(outcome.version()).isEqualTo(1L);
        assertThat(store.read(CLASSIC).version()).isEqualTo(1);
        assertThat(publisher.tokens).singleElement().satisfies(t -> {
            assertThat(t.version()).isEqualTo(1);
            assertThat(t.reason()).isEqualTo(RefreshReason.STARTUP);
            assertThat(t.nextRefreshAt()).isBetween(clock.instant(), t.expiresAt());
        });
        assertThat(publisher.lastAudit().outcome()).isEqualTo(AttemptOutcome.REFRESHED);
        assertThat(publisher.lastAudit().fingerprint()).isEqualTo(Fingerprint.of("first"));
    }

    @Test
    void aStaleWriterPublishesNothingAndAuditsSkipped() {
        answers.add(token("mine"));
        beforeFetch = () -> store.compareAndSet(version(CLASSIC, 1, "theirs"), 0);

        RefreshOutcome outcome = refresher.refresh(CLASSIC, RefreshReason.STARTUP, null);

        assertThat(outcome.result()).isEqualTo(Result.STALE);
        assertThat(publisher.tokens).isEmpty();
        assertThat(store.read(CLASSIC).fingerprint()).isEqualTo(Fingerprint.of("theirs"));
        assertThat(publisher.lastAudit().outcome()).isEqualTo(AttemptOutcome.SKIPPED);
        assertThat(publisher.lastAudit().errorCode()).isEqualTo(Refresher.VERSION_CONFLICT);
    }

    @Test
    void aScheduledRefreshThatIsNoLongerDueFetchesNothing() {
        store.compareAndSet(version(CLASSIC, 1, "fresh"), 0);

        RefreshOutcome outcome = refresher.refresh(CLASSIC, RefreshReason.SCHEDULED, null);

        assertThat(outcome.result()).isEqualTo(Result.NOT_DUE);
        assertThat(fetches).hasValue(0);
    }

    @Test
    void theSameStableTokenKeepsItsVersionAndWaitsForTheRotationWindow() {
        TokenRefreshed current = version(STABLE, 3, "same");
        store.compareAndSet(current.withVersion(1), 0);
        store.compareAndSet(current.withVersion(2), 1);
        store.compareAndSet(current, 2);
        answers.add(token("same"));

        RefreshOutcome outcome = refresher.refresh(STABLE, RefreshReason.MANUAL, command(null));

        assertThat(outcome.result()).isEqualTo(Result.UNCHANGED);
        assertThat(store.read(STABLE).version()).isEqualTo(3);
        assertThat(publisher.tokens).isEmpty();
        assertThat(publisher.lastAudit().outcome()).isEqualTo(AttemptOutcome.SKIPPED);
        assertThat(publisher.lastAudit().errorCode()).isEqualTo(Refresher.TOKEN_UNCHANGED);
        assertThat(store.read(STABLE).retry().notBefore()).isAfter(clock.instant());
        assertThat(Planner.isDue(store.read(STABLE), clock.instant())).isFalse();
    }

    @Test
    void aSpentQuotaFailsWithoutCallingWeChat() {
        quotaLeft = false;

        RefreshOutcome outcome = refresher.refresh(CLASSIC, RefreshReason.STARTUP, null);

        assertThat(outcome.result()).isEqualTo(Result.FAILED);
        assertThat(outcome.errorCode()).isEqualTo(Refresher.QUOTA_EXHAUSTED);
        assertThat(fetches).hasValue(0);
        assertThat(publisher.lastAudit().outcome()).isEqualTo(AttemptOutcome.FAILED);
        assertThat(publisher.lastAudit().errorCode()).isEqualTo("QUOTA_EXHAUSTED");
        // The token will expire before the quota returns: somebody must know.
        assertThat(store.read(CLASSIC).retry().stopped()).isTrue();
        assertThat(metrics.alertOf(CLASSIC)).isEqualTo(1);
    }

    @Test
    void anErrorRetryingCannotFixRestsTheKeyAndRaisesTheAlert() {
        answers.add(() -> {
            throw new WeChatException("40125", WeChatException.Retry.STOP, "invalid appsecret for wxclassic");
        });

        RefreshOutcome outcome = refresher.refresh(CLASSIC, RefreshReason.STARTUP, null);

        assertThat(outcome.result()).isEqualTo(Result.FAILED);
        assertThat(store.read(CLASSIC).retry().stopped()).isTrue();
        assertThat(store.read(CLASSIC).retry().notBefore())
                .isEqualTo(clock.instant().plus(Duration.ofHours(1)));
        assertThat(metrics.alertOf(CLASSIC)).isEqualTo(1);
        assertThat(publisher.lastAudit().errorCode()).isEqualTo("40125");
    }

    @Test
    void transientFailuresCountUpAndASuccessClearsThem() {
        answers.add(() -> {
            throw new WeChatException("-1", WeChatException.Retry.BACKOFF, "system error");
        });
        answers.add(() -> {
            throw new WeChatException("-1", WeChatException.Retry.BACKOFF, "system error");
        });
        answers.add(token("finally"));

        refresher.refresh(CLASSIC, RefreshReason.STARTUP, null);
        clock.set(store.read(CLASSIC).retry().notBefore());
        refresher.refresh(CLASSIC, RefreshReason.STARTUP, null);
        assertThat(store.read(CLASSIC).retry().failures()).isEqualTo(2);
        clock.set(store.read(CLASSIC).retry().notBefore());
        RefreshOutcome outcome = refresher.refresh(CLASSIC, RefreshReason.STARTUP, null);

        assertThat(outcome.result()).isEqualTo(Result.REFRESHED);
        assertThat(store.read(CLASSIC).retry()).isNull();
    }

    @Test
    void writesNothingBeforeRedisIsRebuiltFromTheTopic() {
        store.forget();

        RefreshOutcome outcome = refresher.refresh(CLASSIC, RefreshReason.STARTUP, null);

        assertThat(outcome.result()).isEqualTo(Result.NOT_READY);
        assertThat(fetches).hasValue(0);
    }

    @Test
    void aReportOfAnAlreadyReplacedTokenIsCoalesced() {
        store.compareAndSet(version(CLASSIC, 1, "current"), 0);

        RefreshOutcome outcome =
                refresher.refresh(CLASSIC, RefreshReason.INVALID_REPORTED, command(Fingerprint.of("dead")));

        assertThat(outcome.result()).isEqualTo(Result.COALESCED);
        assertThat(fetches).hasValue(0);
        assertThat(publisher.lastAudit().outcome()).isEqualTo(AttemptOutcome.COALESCED);
    }

    @Test
    void aReportOfTheCurrentTokenRefreshesItWithTheCommandAsCause() {
        store.compareAndSet(version(CLASSIC, 1, "dying"), 0);
        answers.add(token("next"));
        CommandContext report = command(Fingerprint.of("dying"));

        RefreshOutcome outcome = refresher.refresh(CLASSIC, RefreshReason.INVALID_REPORTED, report);

        assertThat(outcome.result()).isEqualTo(Result.REFRESHED);
        assertThat(publisher.tokens.get(0).causationId()).isEqualTo(report.commandId());
        assertThat(publisher.lastAudit().commandId()).isEqualTo(report.commandId());
        assertThat(publisher.lastAudit().previousFingerprint()).isEqualTo(Fingerprint.of("dying"));
    }

    @Test
    void aKeyLockedByAnotherReplicaIsCoalesced() {
        lockedElsewhere = true;

        RefreshOutcome outcome = refresher.refresh(CLASSIC, RefreshReason.MANUAL, command(null));

        assertThat(outcome.result()).isEqualTo(Result.COALESCED);
        assertThat(fetches).hasValue(0);
    }

    @Test
    void aVersionTheBrokerRefusedIsPublishedOnTheNextTry() {
        answers.add(token("first"));
        publisher.brokerDown = true;
        refresher.refresh(CLASSIC, RefreshReason.STARTUP, null);
        assertThat(publisher.tokens).isEmpty();

        assertThat(publication.isPending(CLASSIC)).isTrue();

        publisher.brokerDown = false;
        publication.retryPending();

        assertThat(publisher.tokens).singleElement().satisfies(t -> assertThat(t.version())
                .isEqualTo(1));
        assertThat(publication.isPending(CLASSIC)).isFalse();
    }

    @Test
    void anUnknownKeyIsRejected() {
        RefreshOutcome outcome = refresher.refresh(
                TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, "wxunknown"), RefreshReason.MANUAL, command(null));

        assertThat(outcome.result()).isEqualTo(Result.REJECTED);
        assertThat(publisher.lastAudit().outcome()).isEqualTo(AttemptOutcome.REJECTED);
    }

    @Test
    void aCommandTheAdmissionRefusesIsAuditedRejectedAndFetchesNothing() {
        store.compareAndSet(version(CLASSIC, 1, "current"), 0);
        CommandContext manual = command(null);

        RefreshOutcome outcome = refresher.refresh(
                CLASSIC,
                RefreshReason.MANUAL,
                manual,
                (credential, mode) -> Optional.of(new Admission.Refusal("RATE_LIMITED", "wait 30 s")));

        assertThat(outcome.result()).isEqualTo(Result.REJECTED);
        assertThat(outcome.errorCode()).isEqualTo("RATE_LIMITED");
        assertThat(fetches).hasValue(0);
        assertThat(store.read(CLASSIC).retry())
                .as("a refusal is no failure of the key")
                .isNull();
        assertThat(publisher.audit).singleElement().satisfies(a -> {
            assertThat(a.outcome()).isEqualTo(AttemptOutcome.REJECTED);
            assertThat(a.errorCode()).isEqualTo("RATE_LIMITED");
            assertThat(a.commandId()).isEqualTo(manual.commandId());
            assertThat(a.fingerprint()).isEqualTo(Fingerprint.of("current"));
        });
    }

    @Test
    void theAdmissionIsNotAskedForAReportOfAnAlreadyReplacedToken() {
        store.compareAndSet(version(CLASSIC, 1, "current"), 0);
        AtomicInteger asked = new AtomicInteger();

        RefreshOutcome outcome = refresher.refresh(
                CLASSIC, RefreshReason.INVALID_REPORTED, command(Fingerprint.of("dead")), (credential, mode) -> {
                    asked.incrementAndGet();
                    return Optional.empty();
                });

        assertThat(outcome.result()).isEqualTo(Result.COALESCED);
        assertThat(asked).hasValue(0);
    }

    @Test
    void aCommandBeforeRedisIsRebuiltIsAuditedRejected() {
        store.forget();

        RefreshOutcome outcome = refresher.refresh(CLASSIC, RefreshReason.MANUAL, command(null));

        assertThat(outcome.result()).isEqualTo(Result.NOT_READY);
        assertThat(fetches).hasValue(0);
        assertThat(publisher.lastAudit().outcome()).isEqualTo(AttemptOutcome.REJECTED);
        assertThat(publisher.lastAudit().errorCode()).isEqualTo("NOT_RECOVERED");
    }

    @Test
    void aDyingTokenHandedOutAgainAfterRedisForgotItIsNotMintedAsANewVersion() {
        // given version 1, whose hash Redis already dropped a safety margin before the token's expiry
        store.compareAndSet(version(STABLE, 1, "dying"), 0);
        store.remove(STABLE);
        // when WeChat hands the same token out again with 20 s left (WeCom does until expiry)
        answers.add(() -> new FetchedToken("dying", Duration.ofSeconds(20), clock.instant()));

        RefreshOutcome outcome = refresher.refresh(STABLE, RefreshReason.SCHEDULED, null);

        // then no version 2 is minted for it: consumers would get seconds, and every tick would mint another
        assertThat(outcome.result()).isEqualTo(Result.UNCHANGED);
        assertThat(publisher.tokens).isEmpty();
        assertThat(store.read(STABLE).version()).isEqualTo(1);
    }

    private Supplier<FetchedToken> token(String value) {
        return () -> new FetchedToken(value, Duration.ofSeconds(7200), clock.instant());
    }

    private TokenRefreshed version(TokenKey key, long version, String token) {
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

    private static CommandContext command(String ifFingerprint) {
        return new CommandContext(UUID.randomUUID(), ifFingerprint, false, "operator");
    }
}
