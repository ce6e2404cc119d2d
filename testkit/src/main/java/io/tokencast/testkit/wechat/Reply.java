package io.tokencast.testkit.wechat;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * An HTTP answer. WeChat answers errors with HTTP 200 and an errcode body whose errmsg ends in a request
 * id (docs/wechat-api.md §0.2); WeCom's errmsg carries a hint, the caller's IP and a help link instead.
 */
record Reply(int status, String contentType, String body, Integer errcode, byte[] bytes, Map<String, String> headers) {

    Reply(int status, String contentType, String body, Integer errcode) {
        this(status, contentType, body, errcode, null, Map.of());
    }

    /** A binary answer (a media download), with its own headers. */
    static Reply binary(String contentType, byte[] bytes, Map<String, String> headers) {
        return new Reply(200, contentType, null, null, bytes, Map.copyOf(headers));
    }

    /** The bytes on the wire. */
    byte[] wire() {
        return bytes != null ? bytes : body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String JSON_TYPE = "application/json; charset=utf-8";

    private static final Map<Integer, String> TEXTS = Map.ofEntries(
            Map.entry(-1, "system error"),
            Map.entry(40001, "invalid credential, access_token is invalid or not latest"),
            Map.entry(40002, "invalid grant_type"),
            Map.entry(40013, "invalid appid"),
            Map.entry(40014, "invalid access_token"),
            Map.entry(40007, "invalid media_id"),
            Map.entry(40097, "invalid args"),
            Map.entry(40125, "invalid appsecret"),
            Map.entry(41001, "access_token missing"),
            Map.entry(41002, "appid missing"),
            Map.entry(41004, "appsecret missing"),
            Map.entry(42001, "access_token expired"),
            Map.entry(43002, "require POST method"),
            Map.entry(45009, "reach max api daily quota limit"),
            Map.entry(45011, "api minute-quota reach limit mustslower retry next minute"),
            Map.entry(47001, "data format error"),
            Map.entry(48001, "api unauthorized"),
            Map.entry(48006, "forbid to clear quota because of reaching the limit"),
            Map.entry(61003, "component is not authorized by this account"),
            Map.entry(61004, "access clientip is not registered"),
            Map.entry(61005, "component ticket is expired"),
            Map.entry(61006, "component ticket is invalid"),
            Map.entry(61011, "invalid component"),
            Map.entry(61023, "refresh_token is invalid"),
            Map.entry(89501, "公众号有未处理的确认请求，请稍候重试"),
            Map.entry(89503, "此次调用需要管理员确认，请耐心等候"),
            Map.entry(89507, "该IP调用求请求已被公众号管理员拒绝，请1小时后再试，建议调用前与管理员沟通确认"));

    private static final Map<Integer, String> WECOM_TEXTS = Map.of(
            40001, "invalid credential",
            40013, "invalid corpid",
            41002, "corpid missing",
            41004, "corpsecret missing",
            41001, "access_token missing",
            45009, "api freq out of limit");

    /** Fields in the order given, as WeChat writes them: {@code fields("access_token", t, "expires_in", 7200)}. */
    static Map<String, Object> fields(Object... keysAndValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            out.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return out;
    }

    static Reply ok(Map<String, ?> fields) {
        return new Reply(200, JSON_TYPE, JSON.writeValueAsString(fields), 0);
    }

    /** A success body that, like WeCom's and getticket's, starts with errcode 0. */
    static Reply okWithErrcode(Map<String, ?> fields) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("errcode", 0);
        body.put("errmsg", "ok");
        body.putAll(fields);
        return ok(body);
    }

    static Reply error(int errcode) {
        return error(errcode, TEXTS.getOrDefault(errcode, "sandbox scripted error"));
    }

    static Reply error(int errcode, String text) {
        return errorBody(errcode, text + " rid: " + Secrets.rid());
    }

    static Reply ipNotWhitelisted(String ip) {
        return error(40164, "invalid ip " + ip + " ipv6 ::ffff:" + ip + ", not in whitelist");
    }

    static Reply wecomError(int errcode, String callerIp) {
        String text = WECOM_TEXTS.getOrDefault(errcode, TEXTS.getOrDefault(errcode, "sandbox scripted error"));
        String hint = Secrets.nonce() + Secrets.nonce();
        return errorBody(
                errcode,
                text + ", hint: [" + hint + "], from ip: " + callerIp
                        + ", more info at https://open.work.weixin.qq.com/devtool/query?e=" + errcode);
    }

    static Reply serverError(int status) {
        return new Reply(status, "text/html", "<html><body>" + status + " sandbox fault</body></html>", null);
    }

    static Reply notFound(String path) {
        return new Reply(
                404,
                JSON_TYPE,
                JSON.writeValueAsString(
                        Map.of("errcode", 404, "errmsg", "the WeChat sandbox does not implement " + path)),
                null);
    }

    private static Reply errorBody(int errcode, String errmsg) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("errcode", errcode);
        body.put("errmsg", errmsg);
        return new Reply(200, JSON_TYPE, JSON.writeValueAsString(body), errcode);
    }
}
