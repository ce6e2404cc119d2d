package io.tokencast.testkit.wechat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.OptionalInt;

/**
 * Two mini-program business APIs, so SDK tests can make real business calls: each judges its access token
 * as WeChat does (41001 missing, 40001 unknown or superseded past the overlap, 42001 expired) and counts in
 * the call log under the token's account.
 */
final class MiniProgramEndpoints {

    private final SandboxState s;

    MiniProgramEndpoints(SandboxState state) {
        this.s = state;
    }

    /** GET /wxa/getpaidunionid?access_token=&openid=: a stable unionid per (app, openid). */
    Reply paidUnionId(ApiCall call) {
        Reply refused = checkToken(call);
        if (refused != null) {
            return refused;
        }
        String openid = call.param("openid");
        if (openid == null) {
            return Reply.error(40003, "invalid openid");
        }
        return Reply.okWithErrcode(Reply.fields("unionid", "o" + hash(call.account + "/" + openid)));
    }

    /** POST /wxa/msg_sec_check?access_token=: content containing "forbidden" is risky (87014). */
    Reply messageSecurityCheck(ApiCall call) {
        if (!call.isPost()) {
            return Reply.error(43002);
        }
        Reply refused = checkToken(call);
        if (refused != null) {
            return refused;
        }
        String content = call.field("content");
        if (content == null) {
            return Reply.error(47001);
        }
        return content.contains("forbidden")
                ? Reply.error(87014, "risky content")
                : Reply.okWithErrcode(Reply.fields());
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

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
