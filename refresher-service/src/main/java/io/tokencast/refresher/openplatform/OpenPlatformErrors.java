package io.tokencast.refresher.openplatform;

import io.tokencast.refresher.wechat.WeChatException;
import io.tokencast.refresher.wechat.WeChatException.Retry;
import java.util.Map;
import java.util.Set;

/** What the errcodes of the open platform and ticket endpoints (docs/wechat-api.md §5–§6) mean for the refresher. */
final class OpenPlatformErrors {

    static final int TICKET_EXPIRED = 61005;
    static final int TICKET_INVALID = 61006;
    static final int NOT_AUTHORIZED = 61003;
    static final int REFRESH_TOKEN_INVALID = 61023;

    // 40001/40014/42001 here reject the token we called with (component or app token), not a secret: the
    // refresher replaces that token on its own schedule, so waiting helps. 61005/61006: a push is requested.
    private static final Set<Integer> BACKOFF = Set.of(-1, 45011, 45033, 40001, 40014, 42001, 61005, 61006);

    private static final Map<Integer, String> HINTS = Map.ofEntries(
            Map.entry(-1, "WeChat is busy; retrying with backoff"),
            Map.entry(40001, "the token tokencast called with was refused; it is replaced by its own refresh"),
            Map.entry(42001, "the token tokencast called with expired; it is replaced by its own refresh"),
            Map.entry(40013, "WeChat does not know this appid: check tokencast.open-platform"),
            Map.entry(40125, "WeChat rejects the component secret: check tokencast.open-platform.components"),
            Map.entry(41004, "the component secret is missing: check tokencast.open-platform.components"),
            Map.entry(45009, "the daily quota is spent; it resets on the next Asia/Shanghai day"),
            Map.entry(48001, "the account may not call this API"),
            Map.entry(61004, "add this host's outbound IP to the platform's IP whitelist in the open platform console"),
            Map.entry(61005, "the verify ticket expired; WeChat was asked to push a new one"),
            Map.entry(61006, "the verify ticket is invalid; WeChat was asked to push a new one"),
            Map.entry(61011, "this appid is not a third-party platform (an official account's appid?)"),
            Map.entry(61003, "the account cancelled its authorization; it must authorize the platform again"),
            Map.entry(61023, "the refresh token is invalid; the account must authorize the platform again"));

    private OpenPlatformErrors() {}

    static Retry classify(int errcode) {
        if (BACKOFF.contains(errcode)) {
            return Retry.BACKOFF;
        }
        return errcode == 45009 ? Retry.QUOTA : Retry.STOP;
    }

    static String hint(int errcode) {
        return HINTS.getOrDefault(
                errcode,
                "unknown errcode, not retried so it cannot burn the quota: look it up at developers.weixin.qq.com");
    }

    /** The exception for an errcode answered to {@code what}; WeChat's errmsg is left out (it may echo input). */
    static WeChatException failure(String what, int errcode) {
        return new WeChatException(
                String.valueOf(errcode),
                classify(errcode),
                what + " failed: WeChat answered errcode=" + errcode + ": " + hint(errcode));
    }
}
