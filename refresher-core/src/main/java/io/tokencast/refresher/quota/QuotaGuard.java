package io.tokencast.refresher.quota;

import io.tokencast.refresher.wechat.FetchMode;
import io.tokencast.refresher.wechat.ManagedCredential;

/**
 * Counts WeChat fetches per app and WeChat day (Asia/Shanghai calendar day) and refuses one that would
 * exceed the configured budget, before WeChat does.
 */
public interface QuotaGuard {

    /** Reserves one fetch. False, and nothing counted, when the day's budget for it is spent. */
    boolean tryAcquire(ManagedCredential credential, FetchMode mode);

    /** Fetches counted today for this credential and mode. */
    long usedToday(ManagedCredential credential, FetchMode mode);

    /** The daily budget for this credential and mode. */
    long dailyLimit(ManagedCredential credential, FetchMode mode);
}
