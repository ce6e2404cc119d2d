package io.tokencast.refresher.refresh;

import static io.tokencast.refresher.refresh.RefresherFixture.command;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokencast.refresher.metrics.RefreshMetrics;
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
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A refresh from the scheduler's side: the write of a new version, the failures and retries, the locks. */
class RefresherTest {

    private static final TokenKey STABLE = TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, "wxstable");
    private static final TokenKey CLASSIC = TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, "wxclassic");

    private final RefresherFixture fixture = new RefresherFixture();
    private final RefreshMetrics metrics = new RefreshMetrics(fixture.meters, fixture.clock);
    private final Publication publication =
            new Publication(fixture.publisher, fixture.store, TestDoubles.uncontendedLocks(), fixture.signing);
    private boolean quotaLeft = true;
    private boolean lockedElsewhere;

    private final Refresher refresher = fixture.refresher(
                    "test-refresher",
                    new ManagedCredential(STABLE, WeChatApi.STABLE, "s1"),
                    new ManagedCredential(CLASSIC, WeChatApi.CLASSIC, "s2"))
            .locks(TestDoubles.locks(() -> lockedElsewhere))
            .quota(TestDoubles.quota(() -> quotaLeft, 1))
            .publication(publication)
            .metrics(metrics)
            .build();

    @Test
    void storesAndPublishesVersionOneOfANewKey() {
        fixture.answers.add(fixture.token("first"));

        RefreshOutcome outcome = refresher.refresh(CLASSIC, RefreshReason.STARTUP, null);

        assertThat(outcome.result()).isEqualTo(Result.REFRESHED);
        assertThat(outcome.version()).isEqualTo(1L);
        assertThat(fixture.store.read(CLASSIC).version()).isEqualTo(1);
        assertThat(fixture.publisher.tokens).singleElement().satisfies(t -> {
            assertThat(t.version()).isEqualTo(1);
            assertThat(t.reason()).isEqualTo(RefreshReason.STARTUP);
            assertThat(t.nextRefreshAt()).isBetween(fixture.clock.instant(), t.expiresAt());
        });
        assertThat(fixture.publisher.lastAudit().outcome()).isEqualTo(AttemptOutcome.REFRESHED);
        assertThat(fixture.publisher.lastAudit().fingerprint()).isEqualTo(Fingerprint.of("first"));
    }

    @Test
    void aStaleWriterPublishesNothingAndAuditsSkipped() {
        fixture.answers.add(fixture.token("mine"));
        fixture.beforeFetch = () -> fixture.store.compareAndSet(fixture.version(CLASSIC, 1, "theirs"), 0);

        RefreshOutcome outcome = refresher.refresh(CLASSIC, RefreshReason.STARTUP, null);

        assertThat(outcome.result()).isEqualTo(Result.STALE);
        assertThat(fixture.publisher.tokens).isEmpty();
        assertThat(fixture.store.read(CLASSIC).fingerprint()).isEqualTo(Fingerprint.of("theirs"));
        assertThat(fixture.publisher.lastAudit().outcome()).isEqualTo(AttemptOutcome.SKIPPED);
        assertThat(fixture.publisher.lastAudit().errorCode()).isEqualTo(Refresher.VERSION_CONFLICT);
    }

    @Test
    void aScheduledRefreshThatIsNoLongerDueFetchesNothing() {
        fixture.store.compareAndSet(fixture.version(CLASSIC, 1, "fresh"), 0);

        RefreshOutcome outcome = refresher.refresh(CLASSIC, RefreshReason.SCHEDULED, null);

        assertThat(outcome.result()).isEqualTo(Result.NOT_DUE);
        assertThat(fixture.fetches).hasValue(0);
    }

    @Test
    void theSameStableTokenKeepsItsVersionAndWaitsForTheRotationWindow() {
        TokenRefreshed current = fixture.version(STABLE, 3, "same");
        fixture.store.compareAndSet(current.withVersion(1), 0);
        fixture.store.compareAndSet(current.withVersion(2), 1);
        fixture.store.compareAndSet(current, 2);
        fixture.answers.add(fixture.token("same"));

        RefreshOutcome outcome = refresher.refresh(STABLE, RefreshReason.MANUAL, command(null));

        assertThat(outcome.result()).isEqualTo(Result.UNCHANGED);
        assertThat(fixture.store.read(STABLE).version()).isEqualTo(3);
        assertThat(fixture.publisher.tokens).isEmpty();
        assertThat(fixture.publisher.lastAudit().outcome()).isEqualTo(AttemptOutcome.SKIPPED);
        assertThat(fixture.publisher.lastAudit().errorCode()).isEqualTo(Refresher.TOKEN_UNCHANGED);
        assertThat(fixture.store.read(STABLE).retry().notBefore()).isAfter(fixture.clock.instant());
        assertThat(Planner.isDue(fixture.store.read(STABLE), fixture.clock.instant()))
                .isFalse();
    }

    @Test
    void aSpentQuotaFailsWithoutCallingWeChat() {
        quotaLeft = false;

        RefreshOutcome outcome = refresher.refresh(CLASSIC, RefreshReason.STARTUP, null);

        assertThat(outcome.result()).isEqualTo(Result.FAILED);
        assertThat(outcome.errorCode()).isEqualTo(Refresher.QUOTA_EXHAUSTED);
        assertThat(fixture.fetches).hasValue(0);
        assertThat(fixture.publisher.lastAudit().outcome()).isEqualTo(AttemptOutcome.FAILED);
        assertThat(fixture.publisher.lastAudit().errorCode()).isEqualTo("QUOTA_EXHAUSTED");
        // The token will expire before the quota returns: somebody must know.
        assertThat(fixture.store.read(CLASSIC).retry().stopped()).isTrue();
        assertThat(metrics.alertOf(CLASSIC)).isEqualTo(1);
    }

    @Test
    void anErrorRetryingCannotFixRestsTheKeyAndRaisesTheAlert() {
        fixture.answers.add(() -> {
            throw new WeChatException("40125", WeChatException.Retry.STOP, "invalid appsecret for wxclassic");
        });

        RefreshOutcome outcome = refresher.refresh(CLASSIC, RefreshReason.STARTUP, null);

        assertThat(outcome.result()).isEqualTo(Result.FAILED);
        assertThat(fixture.store.read(CLASSIC).retry().stopped()).isTrue();
        assertThat(fixture.store.read(CLASSIC).retry().notBefore())
                .isEqualTo(fixture.clock.instant().plus(Duration.ofHours(1)));
        assertThat(metrics.alertOf(CLASSIC)).isEqualTo(1);
        assertThat(fixture.publisher.lastAudit().errorCode()).isEqualTo("40125");
    }

    @Test
    void transientFailuresCountUpAndASuccessClearsThem() {
        fixture.answers.add(() -> {
            throw new WeChatException("-1", WeChatException.Retry.BACKOFF, "system error");
        });
        fixture.answers.add(() -> {
            throw new WeChatException("-1", WeChatException.Retry.BACKOFF, "system error");
        });
        fixture.answers.add(fixture.token("finally"));

        refresher.refresh(CLASSIC, RefreshReason.STARTUP, null);
        fixture.clock.set(fixture.store.read(CLASSIC).retry().notBefore());
        refresher.refresh(CLASSIC, RefreshReason.STARTUP, null);
        assertThat(fixture.store.read(CLASSIC).retry().failures()).isEqualTo(2);
        fixture.clock.set(fixture.store.read(CLASSIC).retry().notBefore());
        RefreshOutcome outcome = refresher.refresh(CLASSIC, RefreshReason.STARTUP, null);

        assertThat(outcome.result()).isEqualTo(Result.REFRESHED);
        assertThat(fixture.store.read(CLASSIC).retry()).isNull();
    }

    @Test
    void writesNothingBeforeRedisIsRebuiltFromTheTopic() {
        fixture.store.forget();

        RefreshOutcome outcome = refresher.refresh(CLASSIC, RefreshReason.STARTUP, null);

        assertThat(outcome.result()).isEqualTo(Result.NOT_READY);
        assertThat(fixture.fetches).hasValue(0);
    }

    @Test
    void aKeyLockedByAnotherReplicaIsCoalesced() {
        lockedElsewhere = true;

        RefreshOutcome outcome = refresher.refresh(CLASSIC, RefreshReason.MANUAL, command(null));

        assertThat(outcome.result()).isEqualTo(Result.COALESCED);
        assertThat(fixture.fetches).hasValue(0);
    }

    @Test
    void aVersionTheBrokerRefusedIsPublishedOnTheNextTry() {
        fixture.answers.add(fixture.token("first"));
        fixture.publisher.brokerDown = true;
        refresher.refresh(CLASSIC, RefreshReason.STARTUP, null);
        assertThat(fixture.publisher.tokens).isEmpty();

        assertThat(publication.isPending(CLASSIC)).isTrue();

        fixture.publisher.brokerDown = false;
        publication.retryPending();

        assertThat(fixture.publisher.tokens).singleElement().satisfies(t -> assertThat(t.version())
                .isEqualTo(1));
        assertThat(publication.isPending(CLASSIC)).isFalse();
    }

    @Test
    void aDyingTokenHandedOutAgainAfterRedisForgotItIsNotMintedAsANewVersion() {
        // given version 1, whose hash Redis already dropped a safety margin before the token's expiry
        fixture.store.compareAndSet(fixture.version(STABLE, 1, "dying"), 0);
        fixture.store.remove(STABLE);
        // when WeChat hands the same token out again with 20 s left (WeCom does until expiry)
        fixture.answers.add(() -> new FetchedToken("dying", Duration.ofSeconds(20), fixture.clock.instant()));

        RefreshOutcome outcome = refresher.refresh(STABLE, RefreshReason.SCHEDULED, null);

        // then no version 2 is minted for it: consumers would get seconds, and every tick would mint another
        assertThat(outcome.result()).isEqualTo(Result.UNCHANGED);
        assertThat(fixture.publisher.tokens).isEmpty();
        assertThat(fixture.store.read(STABLE).version()).isEqualTo(1);
    }
}
