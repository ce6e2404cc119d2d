package io.tokencast.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokencast.consumer.Token;
import io.tokencast.consumer.TokenState;
import io.tokencast.schema.TokenKey;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@code expires_in = min(expiresAt, nextRefreshAt + 300 s) - now - 60 s}, floor 0 (docs/design.md §5.6). */
class ExpiresInTest {

    static final Instant ISSUED = Instant.parse("2026-12-07T00:00:00Z");
    static final TokenKey KEY = TokenKey.parse("wechat-access-token/wx1");

    static Lookup.Served served(Duration life, Duration refreshAfter) {
        Token token = Token.of(KEY, "t", 1, ISSUED, ISSUED.plus(life));
        return new Lookup.Served(token, ISSUED.plus(refreshAfter), TokenState.FRESH);
    }

    @Test
    void aClassicTokenIsSafeUntilFiveMinutesAfterItsPlannedSuccessorLessTheMargin() {
        assertThat(served(Duration.ofHours(2), Duration.ofMinutes(90)).expiresIn(ISSUED))
                .isEqualTo(Duration.ofMinutes(95).minusSeconds(60).toSeconds());
    }

    @Test
    void aStableTokenRefreshedInItsLastMinutesIsBoundByItsOwnExpiry() {
        assertThat(served(Duration.ofHours(2), Duration.ofMinutes(117)).expiresIn(ISSUED.plusSeconds(10)))
                .isEqualTo(7200 - 10 - 60);
    }

    @Test
    void neverNegativeAndRoundsDown() {
        assertThat(served(Duration.ofHours(2), Duration.ofMinutes(90)).expiresIn(ISSUED.plus(Duration.ofMinutes(94))))
                .isZero();
        assertThat(served(Duration.ofHours(2), Duration.ofMinutes(90)).expiresIn(ISSUED.plusMillis(1500)))
                .isEqualTo(95 * 60 - 60 - 2);
    }

    @Test
    void aLateRefresherShrinksTheAnswerToZeroRatherThanPromiseADeadToken() {
        assertThat(served(Duration.ofHours(2), Duration.ofMinutes(90)).expiresIn(ISSUED.plus(Duration.ofMinutes(100))))
                .isZero();
    }

    @Test
    void theArithmeticWithoutDurationsAgreesWithDurationsToTheNanosecond() {
        Lookup.Served served = served(Duration.ofHours(2), Duration.ofMinutes(90));
        Instant safeUntil = served.safeUntil();
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 100_000; i++) {
            // Around every second boundary of the answer, at nanosecond precision, and past the end.
            Instant now = ISSUED.plusSeconds(random.nextInt(96 * 60)).plusNanos(random.nextInt(1_000_000_000));
            long millis = Duration.between(now, safeUntil).minus(Lookup.MARGIN).toMillis();
            long expected = millis <= 0 ? 0 : millis / 1000;
            assertThat(Lookup.Served.secondsLeft(safeUntil, now))
                    .as("at %s", now)
                    .isEqualTo(expected);
        }
        assertThat(Lookup.Served.secondsLeft(
                        safeUntil, safeUntil.minusSeconds(61).plusNanos(1)))
                .isZero();
        assertThat(Lookup.Served.secondsLeft(safeUntil, safeUntil.minusSeconds(61)))
                .isEqualTo(1);
    }

    @Test
    void anExpiryDecadesAwayNeitherOverflowsNorGoesNegative() {
        Instant far = Instant.parse("9999-12-31T23:59:59Z");
        assertThat(Lookup.Served.secondsLeft(far, ISSUED))
                .isEqualTo(far.getEpochSecond() - ISSUED.getEpochSecond() - 60);
        assertThat(Lookup.Served.secondsLeft(ISSUED, far)).isZero();
    }
}
