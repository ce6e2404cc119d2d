package io.tokencast.refresher.wechat;

import io.tokencast.refresher.wechat.WeChatException.Retry;
import java.util.Map;
import java.util.Set;

/** What each errcode of the token endpoints means for the refresher: retry, rest, or wait for tomorrow. */
final class ErrorCodes {

    private static final Set<Integer> BACKOFF = Set.of(-1, 45011, 45033);
    private static final Set<Integer> QUOTA = Set.of(45009);

    private static final String WRONG_SECRET = "WeChat rejects the secret: check this app's secret in tokencast.apps"
            + " (reset it in the WeChat console if it leaked)";
    private static final String IP = "add this host's outbound IP to the account's IP whitelist (WeCom: trusted IPs)";
    private static final String ADMIN = "an administrator must confirm this server's token calls in the WeChat console";
    private static final String BAD_REQUEST = "tokencast sent a malformed token request: please report a bug";
    private static final String NOT_ALLOWED = "the account may not call this API (unauthorized, banned or deleted)";

    private static final Map<Integer, String> HINTS = Map.ofEntries(
            // 40001 on a token endpoint is the legacy "wrong AppSecret" (docs/wechat-api.md §1.4), and WeCom's
            // "invalid secret" (docs/wechat-api.md §4.4): a wrong secret, not a stale token, so retrying cannot help.
            Map.entry(40001, WRONG_SECRET),
            Map.entry(40125, WRONG_SECRET),
            Map.entry(40091, WRONG_SECRET),
            Map.entry(40013, "WeChat does not know this appid / corpid: check the account in the token key"),
            Map.entry(40164, IP),
            Map.entry(60020, IP),
            Map.entry(40243, "the AppSecret is frozen: unfreeze it in the WeChat console (takes about 10 minutes)"),
            Map.entry(89501, ADMIN),
            Map.entry(89503, ADMIN),
            Map.entry(89506, ADMIN),
            Map.entry(89507, ADMIN),
            Map.entry(40002, BAD_REQUEST),
            Map.entry(41002, BAD_REQUEST),
            Map.entry(41004, BAD_REQUEST),
            Map.entry(43002, BAD_REQUEST),
            Map.entry(48001, NOT_ALLOWED),
            Map.entry(50004, NOT_ALLOWED),
            Map.entry(50007, NOT_ALLOWED),
            Map.entry(45009, "the daily quota is spent; it resets on the next Asia/Shanghai day (or use clear_quota)"),
            Map.entry(-1, "WeChat is busy; retrying with backoff"),
            Map.entry(45011, "minute quota reached; retrying with backoff"),
            Map.entry(45033, "too many concurrent calls; retrying with backoff"));

    private ErrorCodes() {}

    /**
     * How to react to an errcode. Anything not known to be transient or a quota stops the key: an
     * unexpected answer retried in a loop would burn the daily quota (2000 classic, 20 forced stable)
     * and hide a configuration problem that only a human can fix.
     */
    static Retry classify(int errcode) {
        if (BACKOFF.contains(errcode)) {
            return Retry.BACKOFF;
        }
        if (QUOTA.contains(errcode)) {
            return Retry.QUOTA;
        }
        return Retry.STOP;
    }

    /** What the operator should do about the errcode. */
    static String hint(int errcode) {
        return HINTS.getOrDefault(
                errcode,
                "unknown errcode, not retried so it cannot burn the quota: look it up at developers.weixin.qq.com");
    }
}
