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
}
