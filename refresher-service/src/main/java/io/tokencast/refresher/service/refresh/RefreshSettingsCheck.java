package io.tokencast.refresher.service.refresh;

import io.tokencast.refresher.service.config.SettingsProblems;
import io.tokencast.refresher.service.config.TokencastProperties;

/** Checks {@code tokencast.refresh.*}: the scheduler's tick, its lock, the backoffs and the fetch rate. */
public final class RefreshSettingsCheck {

    private RefreshSettingsCheck() {}

    public static void check(TokencastProperties.Refresh refresh, SettingsProblems problems) {
        if (refresh == null) {
            return;
        }
        problems.positive("tokencast.refresh.tick", refresh.tick());
        problems.positive("tokencast.refresh.lock-at-most-for", refresh.lockAtMostFor());
        problems.positive("tokencast.refresh.retry-initial", refresh.retryInitial());
        problems.positive("tokencast.refresh.permanent-failure-delay", refresh.permanentFailureDelay());
        if (problems.positive("tokencast.refresh.retry-max", refresh.retryMax())
                && refresh.retryInitial() != null
                && refresh.retryMax().compareTo(refresh.retryInitial()) < 0) {
            problems.add("tokencast.refresh.retry-max", "is shorter than tokencast.refresh.retry-initial");
        }
        problems.atLeastOne("tokencast.refresh.max-fetches-per-second", refresh.maxFetchesPerSecond());
    }
}
