package io.tokencast.refresher.service.quota;

import io.tokencast.refresher.service.config.SettingsProblems;
import io.tokencast.refresher.service.config.TokencastProperties;

/** Checks {@code tokencast.quota.*}: every budget 0 or more (0 refuses every fetch of its kind). */
public final class QuotaSettingsCheck {

    private QuotaSettingsCheck() {}

    public static void check(TokencastProperties.Quota quota, SettingsProblems problems) {
        if (quota == null) {
            return;
        }
        problems.notNegative("tokencast.quota.classic-daily", quota.classicDaily());
        problems.notNegative("tokencast.quota.stable-daily", quota.stableDaily());
        problems.notNegative("tokencast.quota.stable-force-daily", quota.stableForceDaily());
        problems.notNegative("tokencast.quota.wecom-daily", quota.wecomDaily());
        problems.notNegative("tokencast.quota.wecom-ticket-hourly-per-corp", quota.wecomTicketHourlyPerCorp());
        problems.notNegative("tokencast.quota.wecom-ticket-hourly-per-app", quota.wecomTicketHourlyPerApp());
    }
}
