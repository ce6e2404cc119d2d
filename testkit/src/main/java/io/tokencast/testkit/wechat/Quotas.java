package io.tokencast.testkit.wechat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;

/**
 * Call counters per account, per named counter, per window. WeChat's day and month are Asia/Shanghai
 * calendar periods (configurable), so a counter rolls over at 16:00 UTC, not at UTC midnight.
 */
final class Quotas {

    static final String CLEAR_QUOTA = "clear_quota";

    private record Window(Object period, int used) {}

    private final ZoneId zone;
    private final Map<String, Window> windows = new HashMap<>();

    Quotas(ZoneId zone) {
        this.zone = zone;
    }

    boolean tryDaily(String account, String counter, int limit, Instant now) {
        return tryAcquire(account, counter, LocalDate.ofInstant(now, zone), limit);
    }

    /** A clock-hour window; the hour in a zone whose offset is whole hours (Asia/Shanghai) agrees with UTC's. */
    boolean tryHourly(String account, String counter, int limit, Instant now) {
        return tryAcquire(account, counter + "/hour", now.getEpochSecond() / 3600, limit);
    }

    boolean tryMinute(String account, String counter, int limit, Instant now) {
        return tryAcquire(account, counter + "/minute", now.getEpochSecond() / 60, limit);
    }

    boolean tryMonthly(String account, String counter, int limit, Instant now) {
        return tryAcquire(account, counter, YearMonth.from(now.atZone(zone)), limit);
    }

    int usedThisHour(String account, String counter, Instant now) {
        Window w = windows.get(key(account, counter + "/hour"));
        return w != null && w.period().equals(now.getEpochSecond() / 3600) ? w.used() : 0;
    }

    int usedToday(String account, String counter, Instant now) {
        Window w = windows.get(key(account, counter));
        return w != null && w.period().equals(LocalDate.ofInstant(now, zone)) ? w.used() : 0;
    }

    /** What clear_quota does: every counter of the account starts again, except clear_quota's own budget. */
    void clear(String account) {
        String prefix = account + '\u0000';
        windows.keySet().removeIf(k -> k.startsWith(prefix) && !k.equals(key(account, CLEAR_QUOTA)));
    }

    private boolean tryAcquire(String account, String counter, Object period, int limit) {
        String key = key(account, counter);
        Window w = windows.get(key);
        if (w == null || !w.period().equals(period)) {
            w = new Window(period, 0);
        }
        if (w.used() >= limit) {
            windows.put(key, w);
            return false;
        }
        windows.put(key, new Window(period, w.used() + 1));
        return true;
    }

    private static String key(String account, String counter) {
        return account + '\u0000' + counter;
    }
}
