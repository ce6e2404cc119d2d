package io.tokencast.refresher.refresh;

import io.tokencast.refresher.store.StoredToken;
import io.tokencast.schema.RefreshReason;
import io.tokencast.schema.TokenKey;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** Decides which keys are due: pure, with time passed in. */
final class Planner {

    /** A key to refresh now, and since when it has been due (keys with no token come first). */
    record Due(TokenKey key, RefreshReason reason, Instant dueSince) {}

    private Planner() {}

    /**
     * Whether the key should be fetched at {@code now}: it is not waiting after a failure, and it has no
     * token or its {@code nextRefreshAt} has come.
     */
    static boolean isDue(StoredToken stored, Instant now) {
        if (stored.retry() != null && stored.retry().waitsAt(now)) {
            return false;
        }
        return stored.token() == null || !stored.token().nextRefreshAt().isAfter(now);
    }

    /** The due keys, most urgent first. */
    static List<Due> due(Collection<StoredToken> states, Instant now) {
        return states.stream()
                .filter(s -> isDue(s, now))
                .map(Planner::toDue)
                .sorted(Comparator.comparing(Due::dueSince).thenComparing(Due::key))
                .toList();
    }

    private static Due toDue(StoredToken stored) {
        if (stored.token() == null) {
            // STARTUP: no token existed yet; a token that expired in Redis is overdue, not new.
            RefreshReason reason = stored.version() == 0 ? RefreshReason.STARTUP : RefreshReason.SCHEDULED;
            return new Due(stored.key(), reason, Instant.MIN);
        }
        return new Due(stored.key(), RefreshReason.SCHEDULED, stored.token().nextRefreshAt());
    }
}
