package io.tokencast.refresher.wechat;

import java.util.OptionalInt;

/**
 * Asks WeChat whether an access token still works, with the cheapest call that takes one and changes nothing:
 * {@code GET /cgi-bin/getcallbackip} on {@code api.weixin.qq.com} for official-account, mini-program and
 * authorizer tokens, and on {@code qyapi.weixin.qq.com} for WeCom (docs/wechat-api.md §1.6). Used to verify an
 * invalid-token report before it costs a fetch.
 */
public interface TokenProbe {

    /** What WeChat said of a token. */
    enum Verdict {
        /** WeChat accepted the token. */
        ALIVE,
        /** WeChat refused it as invalid, superseded or expired (40001, 40014, 42001). */
        DEAD,
        /** No answer that tells either (a timeout, another error): the report stays unverified. */
        UNKNOWN
    }

    /** An answer, with the errcode WeChat gave when there was one. */
    record Answer(Verdict verdict, OptionalInt errcode) {}

    /** Whether the credential's kind has a probe; component tokens and tickets have none. */
    static boolean probes(ManagedCredential credential) {
        return switch (credential.api()) {
            case CLASSIC, STABLE, WECOM, AUTHORIZER -> true;
            case COMPONENT, JSAPI_TICKET, CARD_TICKET, WECOM_JSAPI_TICKET, WECOM_AGENT_TICKET -> false;
        };
    }

    /** Probes {@code token} of {@code credential}; never throws for WeChat's or the network's failures. */
    Answer probe(ManagedCredential credential, String token);
}
