package io.tokencast.refresher.refresh;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokencast.refresher.store.RetryState;
import io.tokencast.refresher.store.StoredToken;
import io.tokencast.schema.RefreshReason;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import io.tokencast.schema.TokenRefreshed;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlannerTest {

    private static final Instant NOW = Instant.parse("2026-03-02T01:00:00Z");

    @Test
    void keysWithoutATokenComeFirstThenTheLongestOverdue() {
        StoredToken fresh = stored("fresh", NOW.plusSeconds(60), null);
        StoredToken overdue = stored("overdue", NOW.minusSeconds(60), null);
        StoredToken justDue = stored("just-due", NOW, null);
        StoredToken missing = new StoredToken(key("missing"), null, 0, null);
        StoredToken expired = new StoredToken(key("expired"), null, 4, null);

        List<Planner.Due> due = Planner.due(List.of(fresh, overdue, justDue, missing, expired), NOW);

        assertThat(due).extracting(d -> d.key().account()).containsExactly("expired", "missing", "overdue", "just-due");
        assertThat(due)
                .extracting(Planner.Due::reason)
                .containsExactly(
                        RefreshReason.SCHEDULED,
                        RefreshReason.STARTUP,
                        RefreshReason.SCHEDULED,
                        RefreshReason.SCHEDULED);
    }

    @Test
    void aKeyWaitingAfterAFailureIsNotDueUntilItsRetryTime() {
        StoredToken waiting =
                stored("waiting", NOW.minusSeconds(60), new RetryState(2, NOW.plusSeconds(5), "-1", false));

        assertThat(Planner.isDue(waiting, NOW)).isFalse();
        assertThat(Planner.isDue(waiting, NOW.plusSeconds(5))).isTrue();
    }

    private static StoredToken stored(String account, Instant nextRefreshAt, RetryState retry) {
        TokenRefreshed token = TokenRefreshed.of(
                key(account),
                1,
                "token-" + account,
                NOW.minusSeconds(3600),
                NOW.plusSeconds(3600),
                nextRefreshAt,
                RefreshReason.SCHEDULED,
                "test",
                null);
        return new StoredToken(key(account), token, 1, retry);
    }

    private static TokenKey key(String account) {
        return TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, account);
    }
}
