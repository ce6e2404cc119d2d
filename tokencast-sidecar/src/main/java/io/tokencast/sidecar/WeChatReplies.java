package io.tokencast.sidecar;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Answers in WeChat's shape: HTTP 200 whatever happened (SDKs decide on {@code errcode} alone and some throw
 * on any other status), {@code errcode} and {@code errmsg} on errors, WeCom's and ticket answers with
 * {@code "errcode":0,"errmsg":"ok"} on success.
 */
final class WeChatReplies {

    private static final Map<Integer, String> TEXTS = Map.ofEntries(
            Map.entry(-1, "system error"),
            Map.entry(40001, "invalid credential, access_token is invalid or not latest"),
            Map.entry(40002, "invalid grant_type"),
            Map.entry(40013, "invalid appid"),
            Map.entry(40014, "invalid access_token"),
            Map.entry(40091, "secret is invalid"),
            Map.entry(40097, "invalid args"),
            Map.entry(40125, "invalid appsecret"),
            Map.entry(41001, "access_token missing"),
            Map.entry(41002, "appid missing"),
            Map.entry(41004, "appsecret missing"),
            Map.entry(42001, "access_token expired"),
            Map.entry(43001, "require GET method"),
            Map.entry(43002, "require POST method"),
            Map.entry(44002, "empty post data"),
            Map.entry(47001, "data format error"),
            Map.entry(48001, "api unauthorized"));

    private WeChatReplies() {}

    static Answer ok(Map<String, Object> fields) {
        return Answer.json(200, fields);
    }

    static Answer okWithErrcode(Map<String, Object> fields) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("errcode", 0);
        body.put("errmsg", "ok");
        body.putAll(fields);
        return Answer.json(200, body);
    }

    /** WeChat's error, its usual text, and why the sidecar answered it (never a secret). */
    static Answer error(int errcode, String why) {
        String text = TEXTS.getOrDefault(errcode, "error");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("errcode", errcode);
        body.put("errmsg", why == null ? text : text + " (tokencast sidecar: " + why + ")");
        return Answer.json(200, body);
    }

    /** A lookup that found no servable token, as WeChat's token endpoints would put it. */
    static Answer unservable(Lookup.Unservable u, int unknownErrcode) {
        return switch (u.why()) {
                // Transient: every SDK retries -1 ("system busy") with back-off.
            case NOT_READY, EXPIRED, NO_KEY, UNAVAILABLE -> error(-1, u.reason());
            case UNKNOWN, REMOVED -> error(unknownErrcode, u.reason());
        };
    }
}
