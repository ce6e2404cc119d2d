package io.tokencast.refresher.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokencast.refresher.wechat.WeChatApi;
import io.tokencast.refresher.wechat.WeChatException;
import io.tokencast.refresher.wechat.WeChatException.Retry;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class StandardRefreshPolicyTest {

    private static final Instant ISSUED = Instant.parse("2026-03-01T08:00:00Z");
    private static final Duration LIFE = Duration.ofSeconds(7200);
    private static final Instant EXPIRES = ISSUED.plus(LIFE);
    private static final WeChatException BUSY = new WeChatException("-1", Retry.BACKOFF, "busy");

    private final StandardRefreshPolicy policy =
            new StandardRefreshPolicy(Duration.ofSeconds(2), Duration.ofMinutes(5), Duration.ofHours(1));

    private static List<TokenKey> keys(int n) {
        return IntStream.range(0, n)
                .mapToObj(i -> TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, String.format("wx%016x", i)))
                .toList();
    }

    private static long secondsAfter(Instant from, Instant to) {
        return Duration.between(from, to).toSeconds();
    }

    @ParameterizedTest
    @EnumSource(
            value = WeChatApi.class,
            names = {"CLASSIC", "WECOM"})
    void refreshesClassicAndWeComTokensAtAboutThreeQuartersOfTheirLife(WeChatApi api) {
        for (TokenKey key : keys(1000)) {
            Instant at = policy.nextRefreshAt(key, api, ISSUED, EXPIRES);

            assertThat(Duration.between(ISSUED, at))
                    .isBetween(
                            Duration.ofMillis(Math.round(7200_000 * 0.725)),
                            Duration.ofMillis(7_200_000L * 775 / 1000));
        }
    }

    @Test
    void neverRefreshesAClassicTokenLaterThanTenMinutesBeforeExpiry() {
        Instant expires = ISSUED.plusSeconds(2600);
        for (TokenKey key : keys(1000)) {
            assertThat(policy.nextRefreshAt(key, WeChatApi.CLASSIC, ISSUED, expires))
                    .isBeforeOrEqualTo(expires.minus(Duration.ofMinutes(10)));
        }
    }

    @Test
    void scalesTheClassicMarginForAThreeMinuteDemoToken() {
        Instant expires = ISSUED.plusSeconds(180);
        for (TokenKey key : keys(1000)) {
            Instant at = policy.nextRefreshAt(key, WeChatApi.CLASSIC, ISSUED, expires);

            assertThat(at).isBetween(ISSUED.plusMillis(130_500), expires.minusSeconds(45));
        }
    }

    @Test
    void refreshesAStableTokenEarlyInItsLast300Seconds() {
        for (TokenKey key : keys(1000)) {
            Instant at = policy.nextRefreshAt(key, WeChatApi.STABLE, ISSUED, EXPIRES);

            assertThat(at).isBetween(EXPIRES.minusSeconds(295), EXPIRES.minusSeconds(180));
        }
    }

    @Test
    void scalesTheStableWindowForAThreeMinuteDemoToken() {
        Instant expires = ISSUED.plusSeconds(180);
        for (TokenKey key : keys(1000)) {
            Instant at = policy.nextRefreshAt(key, WeChatApi.STABLE, ISSUED, expires);

            // 180 s of life: a 7.5 s window, fetched in its first 40 %.
            assertThat(at).isBetween(expires.minusMillis(7_500 - 125), expires.minusMillis(4_500));
        }
    }

    @Test
    void refreshesAStableTokenFetchedMidLifeInsideWeChatsWindow() {
        Instant expires = ISSUED.plusSeconds(1000);
        for (TokenKey key : keys(200)) {
            assertThat(policy.nextRefreshAt(key, WeChatApi.STABLE, ISSUED, expires))
                    .isAfter(expires.minusSeconds(300))
                    .isBefore(expires);
        }
    }

    @Test
    void givesTheSameKeyTheSameOffset() {
        TokenKey key = keys(1).get(0);
        Instant later = ISSUED.plus(Duration.ofDays(3));

        long first = secondsAfter(ISSUED, policy.nextRefreshAt(key, WeChatApi.CLASSIC, ISSUED, EXPIRES));
        long again = secondsAfter(later, policy.nextRefreshAt(key, WeChatApi.CLASSIC, later, later.plus(LIFE)));

        assertThat(again).isEqualTo(first);
    }

    @Test
    void spreadsThousandsOfKeysWithinFivePercentOfTheLife() {
        Set<Long> classicSeconds = new HashSet<>();
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (TokenKey key : keys(5000)) {
            long s = secondsAfter(ISSUED, policy.nextRefreshAt(key, WeChatApi.CLASSIC, ISSUED, EXPIRES));
            classicSeconds.add(s);
            min = Math.min(min, s);
            max = Math.max(max, s);
        }

        assertThat(max - min).isLessThanOrEqualTo(360).isGreaterThan(340);
        assertThat(classicSeconds).hasSizeGreaterThan(340);
    }

    @Test
    void refreshesAtOnceWhenTheTokenHasNoLifeLeft() {
        assertThat(policy.nextRefreshAt(keys(1).get(0), WeChatApi.STABLE, ISSUED, ISSUED))
                .isEqualTo(ISSUED);
    }

    @Test
    void backsOffExponentiallyUpToTheMaximum() {
        TokenKey key = keys(1).get(0);
        for (int failures = 1; failures <= 40; failures++) {
            long full = Math.min(2_000L << Math.min(failures - 1, 30), 300_000);

            Duration delay = Duration.between(ISSUED, policy.retryAt(key, failures, BUSY, ISSUED, null));

            assertThat(delay.toMillis()).as("failure %d", failures).isBetween(full / 2, full);
        }
    }

    @Test
    void jittersBackoffAcrossKeys() {
        Set<Instant> retries = new HashSet<>();
        for (TokenKey key : keys(100)) {
            retries.add(policy.retryAt(key, 8, BUSY, ISSUED, null));
        }

        assertThat(retries).hasSizeGreaterThan(90);
    }

    @Test
    void retriesBeforeAStillValidTokenExpires() {
        Instant expires = ISSUED.plusSeconds(100);

        Instant retry = policy.retryAt(keys(1).get(0), 12, BUSY, ISSUED, expires);

        assertThat(retry).isEqualTo(expires.minusSeconds(30));
    }

    @Test
    void retriesSoonWhenTheTokenIsAboutToExpire() {
        Instant expires = ISSUED.plusSeconds(10);

        Instant retry = policy.retryAt(keys(1).get(0), 12, BUSY, ISSUED, expires);

        assertThat(retry).isAfter(ISSUED).isBeforeOrEqualTo(ISSUED.plusSeconds(2));
    }

    @Test
    void ignoresAnExpiredTokenWhenBackingOff() {
        Instant retry = policy.retryAt(keys(1).get(0), 12, BUSY, ISSUED, ISSUED.minusSeconds(1));

        assertThat(retry).isAfterOrEqualTo(ISSUED.plusSeconds(150));
    }

    @Test
    void restsAKeyAfterAnErrorRetryingCannotFix() {
        WeChatException wrongSecret = new WeChatException("40125", Retry.STOP, "wrong secret");

        assertThat(policy.retryAt(keys(1).get(0), 1, wrongSecret, ISSUED, EXPIRES))
                .isEqualTo(ISSUED.plus(Duration.ofHours(1)));
    }

    @Test
    void aSpentQuotaRestsTheKeyUntilTheNextShanghaiDayAtTheLatest() {
        WeChatException spent = new WeChatException("45009", Retry.QUOTA, "quota");
        TokenKey key = keys(1).get(0);

        // 23:59 in Shanghai, 15:59 UTC: the next WeChat day starts at 16:00 UTC, before the 1 h rest ends.
        assertThat(policy.retryAt(key, 1, spent, Instant.parse("2026-03-01T15:59:00Z"), null))
                .isEqualTo(Instant.parse("2026-03-01T16:00:00Z"));
        // Midnight in Shanghai: a whole day ahead, so the key looks again after its rest (clear_quota may come).
        assertThat(policy.retryAt(key, 1, spent, Instant.parse("2026-03-01T16:00:00Z"), null))
                .isEqualTo(Instant.parse("2026-03-01T17:00:00Z"));
    }

    @Test
    void rejectsAFailureCountBelowOne() {
        assertThatThrownBy(() -> policy.retryAt(keys(1).get(0), 0, BUSY, ISSUED, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsARetryMaxShorterThanTheFirstRetry() {
        assertThatThrownBy(() ->
                        new StandardRefreshPolicy(Duration.ofMinutes(1), Duration.ofSeconds(1), Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("retryMax");
    }
}
