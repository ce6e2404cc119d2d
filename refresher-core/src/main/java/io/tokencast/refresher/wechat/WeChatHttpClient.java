package io.tokencast.refresher.wechat;

import io.tokencast.refresher.wechat.WeChatException.Retry;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Fetches access tokens from WeChat ({@code /cgi-bin/token}, {@code /cgi-bin/stable_token}) and WeCom
 * ({@code /cgi-bin/gettoken}) through the {@link WeChatTransport}. Public so end-to-end tests can point one at the WeChat sandbox;
 * the service gets it as a {@link CredentialSource} bean. Thread-safe.
 */
public final class WeChatHttpClient implements CredentialSource {

    /** WeChat's production host for official accounts and mini programs. */
    public static final URI WECHAT_DEFAULT_URL = URI.create("https://api.weixin.qq.com");

    /** WeCom's production host. */
    public static final URI WECOM_DEFAULT_URL = URI.create("https://qyapi.weixin.qq.com");

    /**
     * One WeChat host.
     *
     * @param baseUrl e.g. {@code https://api.weixin.qq.com}
     * @param timeout how long to wait for a connection and then for the answer
     */
    public record Host(URI baseUrl, Duration timeout) {
        public Host {
            Objects.requireNonNull(baseUrl, "baseUrl");
            Objects.requireNonNull(timeout, "timeout");
        }
    }

    private static final Logger log = LoggerFactory.getLogger(WeChatHttpClient.class);

    private final WeChatTransport wechat;
    private final WeChatTransport wecom;
    private final Host wechatHost;
    private final Host wecomHost;
    private final Clock clock;

    /** A client for WeChat (official accounts, mini programs) and WeCom; tokens are dated by {@code clock}. */
    public WeChatHttpClient(Host wechat, Host wecom, Clock clock) {
        this.wechatHost = Objects.requireNonNull(wechat, "wechat");
        this.wecomHost = Objects.requireNonNull(wecom, "wecom");
        this.wechat = new WeChatTransport(wechat);
        this.wecom = new WeChatTransport(wecom);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public FetchedToken fetch(ManagedCredential credential, FetchMode mode) {
        Objects.requireNonNull(credential, "credential");
        Objects.requireNonNull(mode, "mode");
        TokenRequest request = TokenRequest.of(credential, mode);
        Host host = request.wecom() ? wecomHost : wechatHost;
        String what = "fetching " + credential.key() + " (api=" + credential.api() + ", mode=" + mode + ") from "
                + request.method() + " " + strip(host.baseUrl()) + request.path();
        // Wall time of the call for the log line only; the token's dates come from the injected clock.
        long started = System.nanoTime();
        try {
            WeChatTransport transport = request.wecom() ? wecom : wechat;
            JsonNode body = request.body() == null
                    ? transport.get(what, request.path(), request.query())
                    : transport.post(what, request.path(), Map.of(), request.body());
            FetchedToken token = parse(request, what, body);
            log.debug(
                    "fetched key={} api={} mode={} durationMs={} fingerprint={} expiresInS={}",
                    credential.key(),
                    credential.api(),
                    mode,
                    elapsedMs(started),
                    token.fingerprint(),
                    token.expiresIn().toSeconds());
            return token;
        } catch (WeChatException e) {
            log.debug(
                    "fetch failed key={} api={} mode={} durationMs={} errorCode={} retry={}",
                    credential.key(),
                    credential.api(),
                    mode,
                    elapsedMs(started),
                    e.errorCode(),
                    e.retry());
            throw e;
        }
    }

    private FetchedToken parse(TokenRequest request, String what, JsonNode body) {
        int errcode = WeChatTransport.errcode(body, what);
        if (errcode != 0) {
            String errmsg = request.redact(body.path("errmsg").asString(""));
            throw new WeChatException(
                    String.valueOf(errcode),
                    ErrorCodes.classify(errcode, ErrorCodes.Call.TOKEN_ENDPOINT),
                    what + " failed: WeChat answered errcode=" + errcode + " errmsg='" + errmsg + "': "
                            + ErrorCodes.hint(errcode, ErrorCodes.Call.TOKEN_ENDPOINT));
        }
        return new FetchedToken(
                WeChatTransport.text(body, "access_token", what),
                WeChatTransport.expiresIn(body, what),
                clock.instant());
    }

    private static String strip(URI baseUrl) {
        String base = baseUrl.toString();
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    private static long elapsedMs(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    /** One token call: where it goes and what it sends, plus what is needed to redact its secret. */
    private record TokenRequest(
            ManagedCredential credential,
            boolean wecom,
            String method,
            String path,
            Map<String, String> query,
            ObjectNode body) {

        static TokenRequest of(ManagedCredential credential, FetchMode mode) {
            return switch (credential.api()) {
                case CLASSIC -> new TokenRequest(
                        credential,
                        false,
                        "GET",
                        "/cgi-bin/token",
                        ordered(
                                "grant_type", "client_credential",
                                "appid", credential.key().account(),
                                "secret", credential.secret()),
                        null);
                case STABLE -> new TokenRequest(
                        credential,
                        false,
                        "POST",
                        "/cgi-bin/stable_token",
                        Map.of(),
                        WeChatTransport.body()
                                .put("grant_type", "client_credential")
                                .put("appid", credential.key().account())
                                .put("secret", credential.secret())
                                .put("force_refresh", mode == FetchMode.FORCE));
                case WECOM -> new TokenRequest(
                        credential,
                        true,
                        "GET",
                        "/cgi-bin/gettoken",
                        ordered("corpid", corpid(credential), "corpsecret", credential.secret()),
                        null);
                case COMPONENT,
                        AUTHORIZER,
                        JSAPI_TICKET,
                        CARD_TICKET,
                        WECOM_JSAPI_TICKET,
                        WECOM_AGENT_TICKET -> throw new WeChatException(
                        "UNSUPPORTED_API",
                        Retry.STOP,
                        credential.key() + " (api=" + credential.api() + ") is fetched by the open platform or ticket"
                                + " sources, not by this client");
            };
        }

        private static String corpid(ManagedCredential credential) {
            String account = credential.key().account();
            int dot = account.indexOf('.');
            if (dot <= 0 || dot == account.length() - 1) {
                throw new WeChatException(
                        "BAD_ACCOUNT",
                        Retry.STOP,
                        "WeCom credential " + credential.key() + " must be named corpid.agentid, e.g."
                                + " wecom-access-token/ww0123456789abcdef.1000002");
            }
            // A corpid has no dots, an agentid is a number: the first dot separates them.
            return account.substring(0, dot);
        }

        private static Map<String, String> ordered(String... pairs) {
            Map<String, String> query = new LinkedHashMap<>();
            for (int i = 0; i < pairs.length; i += 2) {
                query.put(pairs[i], pairs[i + 1]);
            }
            return query;
        }

        /** Strips the secret (raw and URL-encoded) from text WeChat sent back, should it ever echo it. */
        String redact(String text) {
            String out = text.replace(credential.secret(), "<redacted>");
            String encoded = URLEncoder.encode(credential.secret(), StandardCharsets.UTF_8);
            return out.replace(encoded, "<redacted>");
        }
    }
}
