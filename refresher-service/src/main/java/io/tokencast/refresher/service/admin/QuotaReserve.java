package io.tokencast.refresher.service.admin;

import io.tokencast.refresher.wechat.FetchMode;

/**
 * How much of a key's daily WeChat budget commands may spend, so that manual refreshes and reports can never
 * starve the scheduled refreshes that keep every consumer supplied (issue 14): normal fetches up to a share of
 * the budget and never into the scheduler's reserve; forced stable-token fetches (WeChat allows 20 a day) up to
 * a fixed number.
 *
 * @param commandShare share of the daily budget commands may use, 0 to 1
 * @param reservedPerDay fetches kept for the scheduler whatever the share
 * @param forcePerDay forced fetches commands may use per day
 */
record QuotaReserve(double commandShare, long reservedPerDay, long forcePerDay) {

    QuotaReserve {
        if (!(commandShare >= 0 && commandShare <= 1)) {
            throw new IllegalArgumentException("commandShare must be between 0 and 1, was " + commandShare);
        }
        if (reservedPerDay < 0 || forcePerDay < 0) {
            throw new IllegalArgumentException("reserves must not be negative");
        }
    }

    /** Fetches in {@code mode} that commands may have caused today, of a daily budget of {@code limit}. */
    long commandAllowance(FetchMode mode, long limit) {
        if (mode == FetchMode.FORCE) {
            // Only commands force; the scheduler never does. The rest of WeChat's 20 stay for emergencies.
            return Math.min(forcePerDay, limit);
        }
        long byShare = (long) Math.floor(commandShare * limit);
        return Math.max(0, Math.min(byShare, limit - reservedPerDay));
    }
}
