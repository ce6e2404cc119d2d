package io.tokencast.testkit.wechat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import tools.jackson.databind.JsonNode;

/**
 * Official-account business APIs a gateway test drives through an unmodified SDK: a customer-service message,
 * the menu, a follower's profile, and temporary media up and down. Each judges its access token as WeChat
 * does (41001 missing, 40001 unknown or superseded past the overlap, 42001 expired) and counts in the call
 * log under the token's account. Called under the sandbox's lock, like every endpoint.
 */
final class BusinessEndpoints {

    private final SandboxState s;
    private final Map<String, String> menus = new HashMap<>();
    private final Map<String, Media> media = new HashMap<>();

    BusinessEndpoints(SandboxState state) {
        this.s = state;
    }

    /** POST /cgi-bin/message/custom/send: needs {@code touser} and {@code msgtype}. */
    Reply customSend(ApiCall call) {
        Reply refused = post(call);
        if (refused != null) {
            return refused;
        }
        if (call.field("touser") == null || call.field("msgtype") == null) {
            return Reply.error(47001);
        }
        return Reply.okWithErrcode(Reply.fields());
    }

    /** POST /cgi-bin/menu/create: keeps the {@code button} array for {@link #menuGet}. */
    Reply menuCreate(ApiCall call) {
        Reply refused = post(call);
        if (refused != null) {
            return refused;
        }
        JsonNode buttons = call.jsonBody().map(n -> n.get("button")).orElse(null);
        if (buttons == null || !buttons.isArray() || buttons.isEmpty()) {
            return Reply.error(47001);
        }
        menus.put(call.account, buttons.toString());
        return Reply.okWithErrcode(Reply.fields());
    }

    /** GET /cgi-bin/menu/get: {@code {"menu":{"button":[…]}}}, or 46003 when no menu was created. */
    Reply menuGet(ApiCall call) {
        Reply refused = checkToken(call);
        if (refused != null) {
            return refused;
        }
        String buttons = menus.get(call.account);
        if (buttons == null) {
            return Reply.error(46003, "menu no exist");
        }
        return Reply.ok(Reply.fields("menu", Reply.fields("button", Reply.JSON.readTree(buttons))));
    }

    /** GET /cgi-bin/user/info?openid=: a subscribed follower with a nickname derived from the openid. */
    Reply userInfo(ApiCall call) {
        Reply refused = checkToken(call);
        if (refused != null) {
            return refused;
        }
        String openid = call.param("openid");
        if (openid == null) {
            return Reply.error(40003, "invalid openid");
        }
        return Reply.ok(Reply.fields(
                "subscribe",
                1,
                "openid",
                openid,
                "nickname",
                "user-" + openid,
                "language",
                call.param("lang") == null ? "zh_CN" : call.param("lang"),
                "subscribe_time",
                call.now.getEpochSecond()));
    }

    /** POST /cgi-bin/media/upload?type=: the multipart part named {@code media}, kept under a new media_id. */
    Reply mediaUpload(ApiCall call) {
        Reply refused = post(call);
        if (refused != null) {
            return refused;
        }
        String type = call.param("type");
        if (type == null) {
            return Reply.error(40004, "invalid media type");
        }
        Media part = Media.fromMultipart(call.contentType, call.rawBody());
        if (part == null) {
            return Reply.error(41005, "media data missing");
        }
        String mediaId = "media-" + Secrets.nonce() + Secrets.nonce();
        media.put(mediaId, part.of(call.account));
        return Reply.ok(Reply.fields("type", type, "media_id", mediaId, "created_at", call.now.getEpochSecond()));
    }

    /** GET /cgi-bin/media/get?media_id=: the bytes uploaded, only to the account that uploaded them. */
    Reply mediaGet(ApiCall call) {
        Reply refused = checkToken(call);
        if (refused != null) {
            return refused;
        }
        Media found = media.get(String.valueOf(call.param("media_id")));
        if (found == null || !found.account().equals(call.account)) {
            return Reply.error(40007);
        }
        return Reply.binary(
                found.contentType(),
                found.bytes(),
                Map.of("Content-disposition", "attachment; filename=\"" + found.filename() + "\""));
    }

    /**
     * POST /cgi-bin/component/api_get_authorizer_option?component_access_token=: judged on the component's
     * token as WeChat does; answers the option asked for with value 1.
     */
    Reply authorizerOption(ApiCall call) {
        if (!call.isPost()) {
            return Reply.error(43002);
        }
        String presented = call.param("component_access_token");
        SandboxState.TokenVerdict verdict = s.checkAccessToken(presented, call.now);
        call.presentedFingerprint = Secrets.fingerprint(presented);
        call.account = verdict.token().map(t -> t.account).orElse(null);
        if (!verdict.ok()) {
            return Reply.error(verdict.errcode());
        }
        if (verdict.token().get().kind != MintedKind.COMPONENT_ACCESS_TOKEN) {
            return Reply.error(48001);
        }
        String option = call.field("option_name");
        return Reply.ok(Reply.fields(
                "authorizer_appid", call.field("authorizer_appid"), "option_name", option, "option_value", "1"));
    }

    private Reply post(ApiCall call) {
        return call.isPost() ? checkToken(call) : Reply.error(43002);
    }

    private Reply checkToken(ApiCall call) {
        String presented = call.param("access_token");
        SandboxState.TokenVerdict verdict = s.checkAccessToken(presented, call.now);
        call.presentedFingerprint = Secrets.fingerprint(presented);
        call.account = verdict.token().map(t -> t.account).orElse(null);
        OptionalInt injected = s.faults.errcodeFor(call.account);
        int errcode = injected.orElse(verdict.errcode());
        return errcode == 0 ? null : Reply.error(errcode);
    }

    /** One uploaded file. */
    private record Media(String account, String filename, String contentType, byte[] bytes) {

        Media of(String owner) {
            return new Media(owner, filename, contentType, bytes);
        }

        /** The first part with a filename, or null; enough multipart for SDK uploads. */
        static Media fromMultipart(String contentType, byte[] body) {
            if (contentType == null || !contentType.toLowerCase().startsWith("multipart/form-data")) {
                return null;
            }
            int b = contentType.indexOf("boundary=");
            if (b < 0) {
                return null;
            }
            String boundary = contentType
                    .substring(b + "boundary=".length())
                    .split(";")[0]
                    .replace("\"", "");
            byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
            byte[] separator = "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
            int at = indexOf(body, delimiter, 0);
            while (at >= 0) {
                int headersStart = at + delimiter.length + 2;
                int headersEnd = indexOf(body, separator, headersStart);
                if (headersEnd < 0) {
                    return null;
                }
                String headers = new String(body, headersStart, headersEnd - headersStart, StandardCharsets.UTF_8);
                int next = indexOf(body, ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1), headersEnd);
                if (next < 0) {
                    return null;
                }
                int fn = headers.indexOf("filename=\"");
                if (fn >= 0) {
                    String filename = headers.substring(fn + 10, headers.indexOf('"', fn + 10));
                    String type = "application/octet-stream";
                    for (String line : headers.split("\r\n")) {
                        if (line.toLowerCase().startsWith("content-type:")) {
                            type = line.substring("content-type:".length()).strip();
                        }
                    }
                    return new Media(null, filename, type, Arrays.copyOfRange(body, headersEnd + 4, next));
                }
                at = next + 2;
            }
            return null;
        }

        private static int indexOf(byte[] haystack, byte[] needle, int from) {
            outer:
            for (int i = Math.max(from, 0); i <= haystack.length - needle.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (haystack[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }
}
