package io.tokencast.refresher.service.admin;

import io.tokencast.refresher.service.config.SettingsProblems;
import io.tokencast.refresher.service.config.TokencastProperties;

/**
 * Checks {@code tokencast.admin.*}: the replicas' group, the per-key limits, and a ledger that remembers a command
 * for as long as it could be replayed.
 */
public final class AdminSettingsCheck {

    private AdminSettingsCheck() {}

    public static void check(TokencastProperties.Admin admin, SettingsProblems problems) {
        if (admin == null) {
            return;
        }
        if (admin.groupId() == null || admin.groupId().isBlank()) {
            problems.add("tokencast.admin.group-id", "blank; name the consumer group the replicas share");
        }
        problems.positive("tokencast.admin.min-interval-per-key", admin.minIntervalPerKey());
        problems.positive("tokencast.admin.dedup-window", admin.dedupWindow());
        problems.positive("tokencast.admin.probe-interval", admin.probeInterval());
        problems.positive("tokencast.admin.command-freshness", admin.commandFreshness());
        if (admin.commandFreshness() != null
                && admin.dedupWindow() != null
                && admin.dedupWindow().compareTo(admin.commandFreshness().multipliedBy(2)) < 0) {
            // A command is fresh from requestedAt - freshness to requestedAt + freshness: its id must be
            // remembered that long, or a replay after the ledger forgot it would run again.
            problems.add(
                    "tokencast.admin.dedup-window",
                    admin.dedupWindow() + " is shorter than twice tokencast.admin.command-freshness ("
                            + admin.commandFreshness() + "); a replayed command could run twice");
        }
        if (!(admin.commandShare() >= 0 && admin.commandShare() <= 1)) {
            problems.add("tokencast.admin.command-share", "must be between 0 and 1, was " + admin.commandShare());
        }
        if (admin.reservedFetchesPerDay() < 0) {
            problems.add("tokencast.admin.reserved-fetches-per-day", "must not be negative");
        }
        if (admin.forcePerDay() < 0) {
            problems.add("tokencast.admin.force-per-day", "must not be negative");
        }
    }
}
