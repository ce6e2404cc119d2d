package io.tokencast.refresher.refresh;

import static io.tokencast.refresher.refresh.RefresherFixture.command;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokencast.refresher.refresh.RefreshOutcome.Result;
import io.tokencast.refresher.wechat.ManagedCredential;
import io.tokencast.refresher.wechat.WeChatApi;
import io.tokencast.schema.AttemptOutcome;
import io.tokencast.schema.Fingerprint;
import io.tokencast.schema.RefreshReason;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A refresh an operator's command asks for (a manual refresh, a report of an invalid token): checked against the
 * token the report names and the command's admission before any fetch, and audited once, whatever its outcome.
 */
class RefresherCommandsTest {

    private static final TokenKey CLASSIC = TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, "wxclassic");

    private final RefresherFixture fixture = new RefresherFixture();
    private final Refresher refresher = fixture.refresher(
                    "test-refresher", new ManagedCredential(CLASSIC, WeChatApi.CLASSIC, "s2"))
            .build();

    @Test
    void aReportOfAnAlreadyReplacedTokenIsCoalesced() {
        fixture.store.compareAndSet(fixture.version(CLASSIC, 1, "current"), 0);

        RefreshOutcome outcome =
                refresher.refresh(CLASSIC, RefreshReason.INVALID_REPORTED, command(Fingerprint.of("dead")));

        assertThat(outcome.result()).isEqualTo(Result.COALESCED);
        assertThat(fixture.fetches).hasValue(0);
        assertThat(fixture.publisher.lastAudit().outcome()).isEqualTo(AttemptOutcome.COALESCED);
    }

    @Test
    void aReportOfTheCurrentTokenRefreshesItWithTheCommandAsCause() {
        fixture.store.compareAndSet(fixture.version(CLASSIC, 1, "dying"), 0);
        fixture.answers.add(fixture.token("next"));
        CommandContext report = command(Fingerprint.of("dying"));

        RefreshOutcome outcome = refresher.refresh(CLASSIC, RefreshReason.INVALID_REPORTED, report);

        assertThat(outcome.result()).isEqualTo(Result.REFRESHED);
        assertThat(fixture.publisher.tokens.get(0).causationId()).isEqualTo(report.commandId());
        assertThat(fixture.publisher.lastAudit().commandId()).isEqualTo(report.commandId());
        assertThat(fixture.publisher.lastAudit().previousFingerprint()).isEqualTo(Fingerprint.of("dying"));
    }

    @Test
    void anUnknownKeyIsRejected() {
        RefreshOutcome outcome = refresher.refresh(
                TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, "wxunknown"), RefreshReason.MANUAL, command(null));

        assertThat(outcome.result()).isEqualTo(Result.REJECTED);
        assertThat(fixture.publisher.lastAudit().outcome()).isEqualTo(AttemptOutcome.REJECTED);
    }

    @Test
    void aCommandTheAdmissionRefusesIsAuditedRejectedAndFetchesNothing() {
        fixture.store.compareAndSet(fixture.version(CLASSIC, 1, "current"), 0);
        CommandContext manual = command(null);

        RefreshOutcome outcome = refresher.refresh(
                CLASSIC,
                RefreshReason.MANUAL,
                manual,
                (credential, mode) -> Optional.of(new Admission.Refusal("RATE_LIMITED", "wait 30 s")));

        assertThat(outcome.result()).isEqualTo(Result.REJECTED);
        assertThat(outcome.errorCode()).isEqualTo("RATE_LIMITED");
        assertThat(fixture.fetches).hasValue(0);
        assertThat(fixture.store.read(CLASSIC).retry())
                .as("a refusal is no failure of the key")
                .isNull();
        assertThat(fixture.publisher.audit).singleElement().satisfies(a -> {
            assertThat(a.outcome()).isEqualTo(AttemptOutcome.REJECTED);
            assertThat(a.errorCode()).isEqualTo("RATE_LIMITED");
            assertThat(a.commandId()).isEqualTo(manual.commandId());
            assertThat(a.fingerprint()).isEqualTo(Fingerprint.of("current"));
        });
    }

    @Test
    void theAdmissionIsNotAskedForAReportOfAnAlreadyReplacedToken() {
        fixture.store.compareAndSet(fixture.version(CLASSIC, 1, "current"), 0);
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
        fixture.store.forget();

        RefreshOutcome outcome = refresher.refresh(CLASSIC, RefreshReason.MANUAL, command(null));

        assertThat(outcome.result()).isEqualTo(Result.NOT_READY);
        assertThat(fixture.fetches).hasValue(0);
        assertThat(fixture.publisher.lastAudit().outcome()).isEqualTo(AttemptOutcome.REJECTED);
        assertThat(fixture.publisher.lastAudit().errorCode()).isEqualTo("NOT_RECOVERED");
    }
}
