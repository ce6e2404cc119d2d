package io.tokencast.refresher.service.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokencast.refresher.quota.QuotaGuard;
import io.tokencast.refresher.refresh.Admission;
import io.tokencast.refresher.service.SharedRedis;
import io.tokencast.refresher.wechat.FetchMode;
import io.tokencast.refresher.wechat.ManagedCredential;
import io.tokencast.refresher.wechat.WeChatApi;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import io.tokencast.testkit.LocalInfrastructure;
import io.tokencast.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The quota reserve (issue 14, point 5) on Redis: commands stop at their share of the day and at 5 forced
 * fetches, refused as {@code QUOTA_RESERVED}; a report WeChat confirmed dead is a necessity and passes.
 */
class ManualFetchLimitsIT {

    private static SharedRedis redisConnection;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T01:00:00Z"));
    private final ManagedCredential stable = new ManagedCredential(
            TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, "wx14quota0000001"), WeChatApi.STABLE, "secret");
    private final ManagedCredential classic = new ManagedCredential(
            TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, "wx14quota0000002"), WeChatApi.CLASSIC, "secret");
    private long used;
    private final QuotaGuard quota = new QuotaGuard() {
        @Override
        public boolean tryAcquire(ManagedCredential credential, FetchMode mode) {
            return true;
        }

        @Override
        public long usedToday(ManagedCredential credential, FetchMode mode) {
            return used;
        }

        @Override
        public long dailyLimit(ManagedCredential credential, FetchMode mode) {
            return mode == FetchMode.FORCE ? 20 : 2000;
        }
    };
    private ManualFetchLimits limits;

    @BeforeAll
    static void connect() {
        redisConnection = SharedRedis.connect();
    }

    @AfterAll
    static void disconnect() {
        redisConnection.close();
    }

    private ManualFetchLimits limits() {
        if (limits == null) {
            limits = new ManualFetchLimits(
                    redisConnection.template(),
                    LocalInfrastructure.uniqueName("limits-it") + ":",
                    Duration.ofSeconds(30),
                    quota,
                    new QuotaReserve(0.5, 32, 5),
                    clock);
        }
        return limits;
    }

    private Optional<Admission.Refusal> check(Admission admission, ManagedCredential credential, FetchMode mode) {
        clock.advance(Duration.ofSeconds(31)); // past the per-key interval, so only the budget decides
        return admission.check(credential, mode);
    }

    @Test
    void commandsForceAStableTokenAtMostFiveTimesADay() {
        used = 4;
        assertThat(check(limits(), stable, FetchMode.FORCE)).isEmpty();

        used = 5;
        assertThat(check(limits(), stable, FetchMode.FORCE)).hasValueSatisfying(refusal -> {
            assertThat(refusal.errorCode()).isEqualTo("QUOTA_RESERVED");
            assertThat(refusal.message()).contains("5 of the 20 FORCE fetches");
        });
    }

    @Test
    void commandsLeaveTheSchedulersShareButAConfirmedDeadTokenMayUseIt() {
        used = 999;
        assertThat(check(limits(), classic, FetchMode.NORMAL)).isEmpty();

        used = 1000;
        assertThat(check(limits(), classic, FetchMode.NORMAL))
                .map(Admission.Refusal::errorCode)
                .contains("QUOTA_RESERVED");
        assertThat(check(limits().necessity(), classic, FetchMode.NORMAL)).isEmpty();

        used = 2000;
        assertThat(check(limits().necessity(), classic, FetchMode.NORMAL))
                .map(Admission.Refusal::errorCode)
                .contains("QUOTA_EXHAUSTED");
    }
}
