package io.tokencast.refresher.refresh;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tokencast.schema.AttemptOutcome;
import io.tokencast.schema.RefreshAttempted;
import io.tokencast.schema.RefreshReason;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.testkit.MutableClock;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RetirementTest {

    private static final TokenKey AUTHORIZER =
            TokenKey.of(TokenKind.WECHAT_AUTHORIZER_ACCESS_TOKEN, "wxcomponent1.wxauthorizer1");
    private static final CommandContext BY_ADMIN = new CommandContext(UUID.randomUUID(), null, false, "admin:ops");

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T01:00:00Z"));
    private final InMemoryTokenStore store = new InMemoryTokenStore();
    private final RecordingPublisher publisher = new RecordingPublisher();
    private boolean lockedElsewhere;
    private final Retirement retirement = new Retirement(
            store,
            TestDoubles.locks(() -> lockedElsewhere),
            publisher,
            new AuditTrail(publisher, clock, "test-refresher"),
            TestRecordSigning.recordSigning(new SimpleMeterRegistry()),
            clock);

    private TokenRefreshed version(long version, String token) {
        Instant now = clock.instant();
        return TokenRefreshed.of(
                AUTHORIZER,
                version,
                token,
                now,
                now.plusSeconds(7200),
                now.plusSeconds(5400),
                RefreshReason.SCHEDULED,
                "test-refresher",
                null);
    }

    @Test
    void forgetsTheTokenPublishesASignedRetirementAndATombstoneAboveItsLastVersion() {
        TokenRefreshed last = version(3, "authorizer@@@3");
        store.compareAndSet(version(1, "authorizer@@@1"), 0);
        store.compareAndSet(version(2, "authorizer@@@2"), 1);
        store.compareAndSet(last, 2);

        Retirement.Result result = retirement.retire(AUTHORIZER, BY_ADMIN, () -> true);

        assertThat(result).isEqualTo(Retirement.Result.REMOVED);
        assertThat(publisher.retired).singleElement().satisfies(retired -> {
            assertThat(retired.tokenKey()).isEqualTo(AUTHORIZER);
            assertThat(retired.version()).isEqualTo(4);
            assertThat(retired.retiredAt()).isEqualTo(clock.instant());
        });
        assertThat(publisher.tombstones).containsExactly(AUTHORIZER);
        assertThat(store.read(AUTHORIZER).token()).isNull();
        assertThat(store.read(AUTHORIZER).version())
                .as("should it come back, above the retirement")
                .isEqualTo(4);
        RefreshAttempted audit = publisher.lastAudit();
        assertThat(audit.outcome()).isEqualTo(AttemptOutcome.SKIPPED);
        assertThat(audit.errorCode()).isEqualTo(Retirement.RETIRED);
        assertThat(audit.version()).isEqualTo(3);
        assertThat(audit.previousFingerprint()).isEqualTo(last.fingerprint());
        assertThat(audit.requestedBy()).isEqualTo("admin:ops");
        assertThat(audit.commandId()).isEqualTo(BY_ADMIN.commandId());
    }

    @Test
    void keepsTheTokenOfACredentialRegisteredAgainMeanwhile() {
        store.compareAndSet(version(1, "authorizer@@@1"), 0);

        Retirement.Result result = retirement.retire(AUTHORIZER, BY_ADMIN, () -> false);

        assertThat(result).isEqualTo(Retirement.Result.KEPT);
        assertThat(publisher.tombstones).isEmpty();
        assertThat(store.read(AUTHORIZER).token()).isNotNull();
    }

    @Test
    void waitsForARefreshHoldingTheKeysLockSoTheTombstoneComesLast() {
        store.compareAndSet(version(1, "authorizer@@@1"), 0);
        lockedElsewhere = true;

        Retirement.Result result = retirement.retire(AUTHORIZER, BY_ADMIN, () -> true);

        assertThat(result).isEqualTo(Retirement.Result.LOCKED);
        assertThat(publisher.tombstones).isEmpty();
        assertThat(store.read(AUTHORIZER).token()).isNotNull();
    }
}
