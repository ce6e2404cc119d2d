package io.tokencast.refresher.wechat;

import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * {@link TokenProbe} over the {@link WeChatTransport}: {@code GET /cgi-bin/getcallbackip?access_token=…} on the
 * WeChat host, or on the WeCom host for WeCom tokens (docs/wechat-api.md §1.6). Only {@code ip_list} counts as
 * alive and only 40001, 40014 and 42001 as dead; anything else, failures included, is no verdict.
 */
public final class CallbackIpProbe implements TokenProbe {

    private static final Logger log = LoggerFactory.getLogger(CallbackIpProbe.class);
    private static final String PATH = "/cgi-bin/getcallbackip";

    private final WeChatTransport wechat;
    private final WeChatTransport wecom;

    /** A probe of the WeChat host (official accounts, mini programs, authorizers) and the WeCom host. */
    public CallbackIpProbe(WeChatTransport wechat, WeChatTransport wecom) {
        this.wechat = Objects.requireNonNull(wechat, "wechat");
        this.wecom = Objects.requireNonNull(wecom, "wecom");
    }

    @Override
    public Answer probe(ManagedCredential credential, String token) {
        Objects.requireNonNull(credential, "credential");
        Objects.requireNonNull(token, "token");
        String what = "probing " + credential.key();
        WeChatTransport transport = credential.api() == WeChatApi.WECOM ? wecom : wechat;
        try {
            return answer(transport.get(what, PATH, Map.of("access_token", token)), what);
        } catch (WeChatException e) {
            // The transport's messages name method, host and path only, never the token in the query.
            log.warn(
                    "token probe failed key={} errorCode={} message={}",
                    credential.key(),
                    e.errorCode(),
                    e.getMessage());
            return new Answer(Verdict.UNKNOWN, OptionalInt.empty());
        }
    }

    static Answer answer(JsonNode body, String what) {
        int code = WeChatTransport.errcode(body, what);
        if (code == 0) {
            return body.has("ip_list")
                    ? new Answer(Verdict.ALIVE, OptionalInt.of(0))
                    : new Answer(Verdict.UNKNOWN, OptionalInt.of(0));
        }
        boolean dead = code == 40001 || code == 40014 || code == 42001;
        return new Answer(dead ? Verdict.DEAD : Verdict.UNKNOWN, OptionalInt.of(code));
    }
}
