package io.tokencast.testkit.wechat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process stand-in for WeChat's credential APIs (api.weixin.qq.com and qyapi.weixin.qq.com on one
 * HTTP server) that reproduces their failure modes: superseded tokens, the 5-minute overlap, quotas,
 * stable-token rotation and verify-ticket pushes. All time comes from the given {@link Clock}.
 * Thread-safe; close it to free the port.
 */
public final class WeChatSandbox implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WeChatSandbox.class);

    private final SandboxState state;
    private final TicketPusher pusher;
    private final SandboxServer server;

    private WeChatSandbox(SandboxState state, InetSocketAddress bind) throws IOException {
        this.state = state;
        this.pusher = new TicketPusher(state);
        this.server = new SandboxServer(bind, new ApiRouter(state, pusher, new InspectionHandler(this)));
    }

    /** Starts a sandbox with WeChat's default settings on a free loopback port. */
    public static WeChatSandbox start(Clock clock) {
        return start(clock, SandboxSettings.defaults());
    }

    public static WeChatSandbox start(Clock clock, SandboxSettings settings) {
        return start(clock, settings, new InetSocketAddress("127.0.0.1", 0));
    }

    /** Starts on {@code bind} (port 0 picks a free port). */
    public static WeChatSandbox start(Clock clock, SandboxSettings settings, InetSocketAddress bind) {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(settings, "settings");
        try {
            WeChatSandbox sandbox = new WeChatSandbox(new SandboxState(clock, settings), bind);
            sandbox.server.start();
            sandbox.pusher.start();
            log.info("wechat sandbox started url={}", sandbox.url());
            return sandbox;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the WeChat sandbox on " + bind + ": " + e.getMessage(), e);
        }
    }

    /** Base URL for both api.weixin.qq.com and qyapi.weixin.qq.com, e.g. {@code http://127.0.0.1:41234}. */
    public URI url() {
        return server.url();
    }

    public SandboxSettings settings() {
        return state.settings;
    }

    public void stop() {
        pusher.close();
        server.stop();
        log.info("wechat sandbox stopped");
    }

    @Override
    public void close() {
        stop();
    }

    // ---- accounts

    /** An official account or mini-program app. */
    public WeChatSandbox registerApp(String appid, String secret) {
        return locked(() -> state.accounts.addApp(appid, secret));
    }

    /** A WeCom application; its tokens are accounted as {@code corpid.agentId}. */
    public WeChatSandbox registerWeComApp(String corpid, String agentId, String corpsecret) {
        return locked(() -> state.accounts.addWeComApp(corpid, agentId, corpsecret));
    }

    /** An open-platform component; with a callback URL, tickets are pushed at once and then on schedule. */
    public WeChatSandbox registerComponent(
            String componentAppid, String secret, String encodingAesKey, String callbackToken, URI callbackUrl) {
        return locked(() -> {
            state.accounts.addComponent(componentAppid, secret, encodingAesKey, callbackToken, callbackUrl);
            pusher.pushSoon(componentAppid);
        });
    }

    /** Sets (or, with null, removes) where a component's tickets are pushed; a push follows at once. */
    public void setTicketCallback(String componentAppid, URI callbackUrl) {
        locked(() -> {
            state.accounts.setCallbackUrl(componentAppid, callbackUrl);
            pusher.pushSoon(componentAppid);
        });
    }

    /** Authorises {@code authorizerAppid} for the component and returns its new refresh token. */
    public String registerAuthorizer(String componentAppid, String authorizerAppid) {
        String refreshToken = Secrets.refreshToken();
        registerAuthorizer(componentAppid, authorizerAppid, refreshToken);
        return refreshToken;
    }

    /** As above with a given refresh token, for configurations that must know it in advance. */
    public void registerAuthorizer(String componentAppid, String authorizerAppid, String refreshToken) {
        Objects.requireNonNull(refreshToken, "refreshToken");
        locked(() -> state.accounts.addAuthorizer(componentAppid, authorizerAppid, refreshToken));
    }

    /** The merchant cancels the authorisation: api_authorizer_token answers 61003 from now on. */
    public void deauthorize(String componentAppid, String authorizerAppid) {
        locked(() -> authorizer(componentAppid, authorizerAppid).authorized = false);
    }

    /** The merchant authorises again: a new refresh token, the old one answers 61023. */
    public String reauthorize(String componentAppid, String authorizerAppid) {
        String refreshToken = Secrets.refreshToken();
        locked(() -> {
            Accounts.Authorizer a = authorizer(componentAppid, authorizerAppid);
            a.refreshToken = refreshToken;
            a.authorized = true;
        });
        return refreshToken;
    }

    /** Only these caller IPs may fetch the app's (or component's) tokens; an empty set lifts the whitelist. */
    public void setIpWhitelist(String appid, Set<String> ips) {
        locked(() -> state.accounts.setIpWhitelist(appid, ips));
    }

    // ---- ticket push

    /** Mints a new verify ticket and pushes it now, on the caller's thread; returns the callback's reply. */
    public TicketPushReply pushTicketNow(String componentAppid) {
        return pusher.pushNow(componentAppid);
    }

    public Optional<String> currentVerifyTicket(String componentAppid) {
        synchronized (state) {
            return state.verifyTickets.latest(componentAppid);
        }
    }

    /** Every push so far, oldest first. */
    public List<TicketPushReply> pushReplies() {
        return pusher.replies();
    }

    // ---- fault knobs

    /** The next {@code calls} API calls, whatever the account, answer errcode -1 "system error". */
    public void failNext(int calls) {
        failNext(Faults.GLOBAL, calls);
    }

    /** The next {@code calls} calls for {@code account} answer -1. */
    public void failNext(String account, int calls) {
        locked(() -> state.faults.systemErrorNext(account, calls));
    }

    /** Every API call waits this long (wall time) before it is answered. */
    public void setLatency(Duration latency) {
        state.faults.setLatency(Objects.requireNonNull(latency, "latency"));
    }

    /** The next {@code calls} API calls answer with this HTTP 5xx status and an HTML body. */
    public void serverErrorNext(int calls, int httpStatus) {
        locked(() -> state.faults.serverErrorNext(calls, httpStatus));
    }

    /** The next {@code calls} API calls get their connection closed without a response. */
    public void resetConnectionNext(int calls) {
        locked(() -> state.faults.resetNext(calls));
    }

    /** Every credential call for {@code account} answers {@code errcode} until {@link #clearScript}. */
    public void scriptErrcode(String account, int errcode) {
        locked(() -> state.faults.script(account, errcode));
    }

    public void clearScript(String account) {
        locked(() -> state.faults.clearScript(account));
    }

    /** Kills every token of the account now (WeCom may invalidate tokens early "for operational reasons"). */
    public void invalidateTokens(String account) {
        locked(() -> state.tokens.invalidateAll(account, state.now()));
    }

    /** Token calls for {@code appid} need an admin's approval: 89503, then 89501 until confirmed or rejected. */
    public void requireAdminConfirmation(String appid) {
        locked(() -> state.faults.requireAdminConfirmation(appid));
    }

    public void confirmAdmin(String appid) {
        locked(() -> state.faults.confirmAdmin(appid));
    }

    /** The admin refuses: 89507 for an hour of the sandbox clock, then a new request for confirmation. */
    public void rejectAdmin(String appid) {
        locked(() -> state.faults.rejectAdmin(appid, state.now()));
    }

    // ---- inspection

    /** Calls answered for the account at the endpoint; WeCom accounts are {@code corpid.agentId}, authorizers {@code component.authorizer}. */
    public long calls(String account, WeChatEndpoint endpoint) {
        return state.log.count(account, endpoint);
    }

    /** Credentials the endpoint ever issued for the account (tickets for {@link WeChatEndpoint#GET_TICKET}). */
    public long tokensIssued(String account, WeChatEndpoint endpoint) {
        synchronized (state) {
            return state.tokens.issued(account, endpoint);
        }
    }

    /** Credentials of the account from the endpoint that would be accepted right now. */
    public long tokensValid(String account, WeChatEndpoint endpoint) {
        synchronized (state) {
            return state.tokens.valid(account, endpoint, state.now());
        }
    }

    /**
     * Tokens fetched (any token endpoint, success or not) by callers whose {@code User-Agent} contains
     * {@code caller}: how a test tells an SDK's own fetches from the refresher's.
     */
    public long tokenFetchesBy(String caller) {
        return state.log.snapshot().stream()
                .filter(c -> c.endpoint() == WeChatEndpoint.TOKEN
                        || c.endpoint() == WeChatEndpoint.STABLE_TOKEN
                        || c.endpoint() == WeChatEndpoint.WECOM_GETTOKEN
                        || c.endpoint() == WeChatEndpoint.COMPONENT_TOKEN
                        || c.endpoint() == WeChatEndpoint.AUTHORIZER_TOKEN)
                .filter(c -> c.caller() != null && c.caller().contains(caller))
                .count();
    }

    /** Every answered API call, oldest first. */
    public List<SandboxCall> callLog() {
        return state.log.snapshot();
    }

    /** The errcode getcallbackip would answer for this access token of any kind: 0, 40001, 41001 or 42001. */
    public int checkToken(String accessToken) {
        synchronized (state) {
            return state.checkAccessToken(accessToken, state.now()).errcode();
        }
    }

    /** Whether a ticket (jsapi, wx_card, or WeCom's two) is usable now: 0, 42001 when expired, 40001 when unknown. */
    public int checkTicket(String ticket) {
        synchronized (state) {
            return state.tokens
                    .find(ticket)
                    .filter(t -> t.kind.isTicket())
                    .map(t -> t.errcodeAt(state.now()))
                    .orElse(40001);
        }
    }

    Clock clock() {
        return state.clock;
    }

    private Accounts.Authorizer authorizer(String componentAppid, String authorizerAppid) {
        return state.accounts
                .authorizer(componentAppid, authorizerAppid)
                .orElseThrow(() -> new IllegalArgumentException("authorizer " + authorizerAppid + " of component "
                        + componentAppid + " is not registered; call registerAuthorizer first"));
    }

    private WeChatSandbox locked(Runnable action) {
        synchronized (state) {
            action.run();
        }
        return this;
    }
}
