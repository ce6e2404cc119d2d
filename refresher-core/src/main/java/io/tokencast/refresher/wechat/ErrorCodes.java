package io.tokencast.refresher.wechat;

import io.tokencast.refresher.wechat.WeChatException.Retry;
import java.util.Map;
import java.util.Set;

/**
 * The one table of WeChat errcodes: what each means for the refresher (retry, rest, or wait for tomorrow) and
 * what an operator should do. The same number can mean different things depending on the call: 40001 from a
 * token endpoint is a wrong secret (docs/wechat-api.md §1.4), from a call made with a token it is that token
 * being refused, which tokencast's own refresh replaces. {@link Call} says which.
 */
public final class ErrorCodes {

    /** Which kind of call answered the errcode. */
    public enum Call {
        /** A token fetch authenticated by a secret: {@code /cgi-bin/token}, {@code stable_token}, WeCom's gettoken. */
        TOKEN_ENDPOINT,
        /** An open-platform or ticket endpoint, called with a component, authorizer or app token. */
        OPEN_PLATFORM
    }

    public static final int TICKET_EXPIRED = 61005;
    public static final int TICKET_INVALID = 61006;
    public static final int NOT_AUTHORIZED = 61003;
    public static final int REFRESH_TOKEN_INVALID = 61023;

    private static final Set<Integer> BUSY = Set.of(-1, 45011, 45033);
    // Open-platform calls carry a token: 40001/40014/42001 reject that token, not a secret, and the refresher
    // replaces it on its own schedule, so waiting helps. 61005/61006: a new verify ticket push is requested.
    private static final Set<Integer> OPEN_PLATFORM_WAITS = Set.of(40001, 40014, 42001, TICKET_EXPIRED, TICKET_INVALID);
    private static final int QUOTA = 45009;

    private static final String WRONG_SECRET = "WeChat rejects the secret: check this app's secret in tokencast.apps"
            + " (reset it in the WeChat console if it leaked)";
    private static final String IP = "add this host's outbound IP to the account's IP whitelist (WeCom: trusted IPs)";
    private static final String ADMIN = "an administrator must confirm this server's token calls in the WeChat console";
    private static final String BAD_REQUEST = "tokencast sent a malformed token request: please report a bug";
    private static final String NOT_ALLOWED = "the account may not call this API (unauthorized, banned or deleted)";
    private static final String UNKNOWN =
            "unknown errcode, not retried so it cannot burn the quota: look it up at developers.weixin.qq.com";

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
            Map.entry(QUOTA, "the daily quota is spent; it resets on the next Asia/Shanghai day (or use clear_quota)"),
            Map.entry(-1, "WeChat is busy; retrying with backoff"),
            Map.entry(45011, "minute quota reached; retrying with backoff"),
            Map.entry(45033, "too many concurrent calls; retrying with backoff"));

    /** Where an open-platform call gives a number another meaning, or numbers only it answers. */
    private static final Map<Integer, String> OPEN_PLATFORM_HINTS = Map.ofEntries(
            Map.entry(40001, "the token tokencast called with was refused; it is replaced by its own refresh"),
            Map.entry(40014, "the token tokencast called with was refused; it is replaced by its own refresh"),
            Map.entry(42001, "the token tokencast called with expired; it is replaced by its own refresh"),
            Map.entry(40013, "WeChat does not know this appid: check tokencast.open-platform"),
            Map.entry(40125, "WeChat rejects the component secret: check tokencast.open-platform.components"),
            Map.entry(41004, "the component secret is missing: check tokencast.open-platform.components"),
            Map.entry(QUOTA, "the daily quota is spent; it resets on the next Asia/Shanghai day"),
            Map.entry(48001, "the account may not call this API"),
            Map.entry(61004, "add this host's outbound IP to the platform's IP whitelist in the open platform console"),
            Map.entry(TICKET_EXPIRED, "the verify ticket expired; WeChat was asked to push a new one"),
            Map.entry(TICKET_INVALID, "the verify ticket is invalid; WeChat was asked to push a new one"),
            Map.entry(61011, "this appid is not a third-party platform (an official account's appid?)"),
            Map.entry(NOT_AUTHORIZED, "the account cancelled its authorization; it must authorize the platform again"),
            Map.entry(
                    REFRESH_TOKEN_INVALID,
                    "the refresh token is invalid; the account must authorize the platform again"));

    private ErrorCodes() {}

    /**
     * How to react to an errcode. Anything not known to be transient or a quota stops the key: an unexpected
     * answer retried in a loop would burn the daily quota (2000 classic, 20 forced stable) and hide a
     * configuration problem that only a human can fix.
     */
    public static Retry classify(int errcode, Call call) {
        if (BUSY.contains(errcode) || (call == Call.OPEN_PLATFORM && OPEN_PLATFORM_WAITS.contains(errcode))) {
            return Retry.BACKOFF;
        }
        return errcode == QUOTA ? Retry.QUOTA : Retry.STOP;
    }

    /** What the operator should do about the errcode. */
    public static String hint(int errcode, Call call) {
        String hint = call == Call.OPEN_PLATFORM ? OPEN_PLATFORM_HINTS.get(errcode) : null;
        return hint != null ? hint : HINTS.getOrDefault(errcode, UNKNOWN);
    }

    /** The exception for an errcode answered to {@code what}; WeChat's errmsg is left out (it may echo input). */
    public static WeChatException failure(String what, int errcode, Call call) {
        return new WeChatException(
                String.valueOf(errcode),
                classify(errcode, call),
                what + " failed: WeChat answered errcode=" + errcode + ": " + hint(errcode, call));
    }
}
