package io.tokencast.sidecar;

import io.tokencast.schema.InvalidTokenKeyException;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;

/**
 * WeChat's token endpoints, answered from the view: an SDK whose token URL points here gets the fleet's
 * token instead of fetching (and so killing) one of its own. Secrets the SDKs send are never checked against
 * WeChat, never kept and never logged; with a shared token configured, the secret an SDK sends must be it.
 */
final class WeChatApi {

    private final TokenLookup lookup;
    private final Reports reports;
    private final SharedToken shared;
    private final WeComAgents agents;
    private final SidecarConfig config;
    private final PresentedCredentials presented;
    private final Handles handles;

    /** @param handles in gateway mode, what the token endpoints answer instead of tokens; null otherwise */
    WeChatApi(
            TokenLookup lookup,
            Reports reports,
            SharedToken shared,
            SidecarConfig config,
            PresentedCredentials presented,
            Handles handles) {
        this.lookup = lookup;
        this.reports = reports;
        this.shared = shared;
        this.agents = new WeComAgents(config.wecomAgents());
        this.config = config;
        this.presented = presented;
        this.handles = handles;
    }

    /**
     * Who asks, for the handles minted: {@code ""} without client credentials (when the shared token, if any,
     * must be shown), the client whose secret was sent with them, or null when the caller is not admitted.
     */
    private String client(HttpCall call, String secret) {
        if (handles != null && presented.clientsConfigured()) {
            return presented.client(secret).map(GatewayConfig.Client::name).orElse(null);
        }
        return shared.admits(call, secret) ? "" : null;
    }

    /** {@code GET /cgi-bin/token?grant_type=client_credential&appid=…&secret=…}. */
    Answer token(HttpCall call) {
        if (!call.isGet()) {
            return WeChatReplies.error(43001, null);
        }
        if (!"client_credential".equals(call.param("grant_type"))) {
            return WeChatReplies.error(40002, "grant_type must be client_credential");
        }
        String appid = call.param("appid");
        if (appid == null) {
            return WeChatReplies.error(41002, null);
        }
        String client = client(call, call.param("secret"));
        if (client == null) {
            return WeChatReplies.error(40125, notAdmitted());
        }
        return accessToken(key(TokenKind.WECHAT_ACCESS_TOKEN, appid), "access_token", 40013, client);
    }

    /** {@code POST /cgi-bin/stable_token}; {@code force_refresh: true} reports the current token, never forces. */
    CompletableFuture<Answer> stableToken(HttpCall call) {
        if (!call.isPost()) {
            return done(WeChatReplies.error(43002, null));
        }
        JsonNode body = call.json().orElse(null);
        if (body == null) {
            return done(WeChatReplies.error(44002, null));
        }
        if (!"client_credential".equals(call.field("grant_type"))) {
            return done(WeChatReplies.error(40002, "grant_type must be client_credential"));
        }
        String appid = call.field("appid");
        if (appid == null) {
            return done(WeChatReplies.error(41002, null));
        }
        String client = client(call, call.field("secret"));
        if (client == null) {
            return done(WeChatReplies.error(40125, notAdmitted()));
        }
        Optional<TokenKey> key = key(TokenKind.WECHAT_ACCESS_TOKEN, appid);
        JsonNode force = body.get("force_refresh");
        if (key.isEmpty() || force == null || !force.asBoolean(false)) {
            return done(accessToken(key, "access_token", 40013, client));
        }
        // The caller believes the current token is dead. A forced fetch would cost one of WeChat's 20 a day
        // and kill the token for the whole fleet; a report lets the refresher decide, once for everyone.
        if (!(lookup.find(key.get()) instanceof Lookup.Served served)) {
            return done(accessToken(key, "access_token", 40013, client));
        }
        return reports.reportAndAwait(served.token(), 40001, config.reportWait())
                .handle((next, failure) -> {
                    Answer refused = TokensApi.refusal(failure);
                    return refused != null
                            ? WeChatReplies.error(-1, "the sidecar is busy or shutting down")
                            : accessToken(key, "access_token", 40013, client);
                });
    }

    /** WeCom's {@code GET /cgi-bin/gettoken?corpid=…&corpsecret=…}: the agent comes from the prefix or hash. */
    Answer wecomToken(HttpCall call) {
        if (!call.isGet()) {
            return WeChatReplies.error(43001, null);
        }
        String corpid = call.param("corpid");
        if (corpid == null) {
            return WeChatReplies.error(41002, "corpid missing");
        }
        String corpsecret = call.param("corpsecret");
        Optional<WeComAgent> agent = call.agent().isPresent() ? call.agent() : agents.bySecret(corpid, corpsecret);
        if (agent.isEmpty()) {
            return WeChatReplies.error(
                    40091,
                    "no WeCom agent of corpid " + TokensApi.abbreviate(corpid) + " is configured for this path"
                            + " prefix or this corpsecret's SHA-256 (tokencast.sidecar.wecom.agents)");
        }
        if (!agent.get().corpid().equals(corpid)) {
            return WeChatReplies.error(
                    40013, "this path prefix serves corpid " + agent.get().corpid());
        }
        // A matching secret hash is proof enough; a prefix-selected agent needs the shared token, if any.
        boolean byHash = call.agent().isEmpty();
        String client = byHash && !(handles != null && presented.clientsConfigured()) ? "" : client(call, corpsecret);
        if (client == null) {
            return WeChatReplies.error(40091, notAdmitted());
        }
        return served(agent.get().key(), lookup.find(agent.get().key()), "access_token", 40013, true, client);
    }

    /** {@code GET /cgi-bin/ticket/getticket?access_token=…&type=jsapi|wx_card}: the token names the app. */
    Answer ticket(HttpCall call) {
        if (!call.isGet()) {
            return WeChatReplies.error(43001, null);
        }
        String presented = call.param("access_token");
        if (presented == null) {
            return WeChatReplies.error(41001, null);
        }
        PresentedCredentials.Resolution resolution = this.presented.resolve(presented);
        if (resolution instanceof PresentedCredentials.Resolution.Refused r) {
            return WeChatReplies.error(r.errcode(), r.why());
        }
        if (!(resolution instanceof PresentedCredentials.Resolution.Key resolved)) {
            return WeChatReplies.error(40001, "this access_token was not handed out by this sidecar");
        }
        String type = call.param("type");
        TokenKind kind = "jsapi".equals(type)
                ? TokenKind.WECHAT_JSAPI_TICKET
                : "wx_card".equals(type) ? TokenKind.WECHAT_CARD_TICKET : null;
        if (kind == null) {
            return WeChatReplies.error(40097, "type must be jsapi or wx_card");
        }
        TokenKey owner = resolved.key();
        String appid;
        if (owner.kind() == TokenKind.WECHAT_ACCESS_TOKEN) {
            appid = owner.account();
        } else if (owner.kind() == TokenKind.WECHAT_AUTHORIZER_ACCESS_TOKEN) {
            appid = owner.account().substring(owner.account().indexOf('.') + 1);
        } else {
            return WeChatReplies.error(48001, "a " + owner.kind() + " has no jsapi or card tickets");
        }
        TokenKey ticketKey = TokenKey.of(kind, appid);
        return served(ticketKey, lookup.find(ticketKey), "ticket", 40013, true, "");
    }

    /** {@code POST /cgi-bin/component/api_component_token}. */
    Answer componentToken(HttpCall call) {
        if (!call.isPost()) {
            return WeChatReplies.error(43002, null);
        }
        if (call.json().isEmpty()) {
            return WeChatReplies.error(44002, null);
        }
        String appid = call.field("component_appid");
        if (appid == null) {
            return WeChatReplies.error(41002, "component_appid missing");
        }
        String client = client(call, call.field("component_appsecret"));
        if (client == null) {
            return WeChatReplies.error(40125, notAdmitted());
        }
        return accessToken(
                key(TokenKind.WECHAT_COMPONENT_ACCESS_TOKEN, appid), "component_access_token", 40013, client);
    }

    /**
     * {@code POST /cgi-bin/component/api_authorizer_token}. The refresh token the SDK sends is echoed back
     * untouched, so an SDK that stores what it gets keeps its own.
     */
    Answer authorizerToken(HttpCall call) {
        if (!call.isPost()) {
            return WeChatReplies.error(43002, null);
        }
        if (call.json().isEmpty()) {
            return WeChatReplies.error(44002, null);
        }
        String component = call.field("component_appid");
        String authorizer = call.field("authorizer_appid");
        if (component == null || authorizer == null) {
            return WeChatReplies.error(41002, "component_appid and authorizer_appid are required");
        }
        String componentToken =
                Optional.ofNullable(call.param("component_access_token")).orElse(call.param("access_token"));
        // A component token this sidecar handed out proves the caller passed the guard already.
        PresentedCredentials.Resolution proof = componentToken == null
                ? new PresentedCredentials.Resolution.Foreign()
                : presented.resolve(componentToken);
        String client = proof instanceof PresentedCredentials.Resolution.Key k
                        && k.key().kind() == TokenKind.WECHAT_COMPONENT_ACCESS_TOKEN
                ? k.client()
                : (handles != null && presented.clientsConfigured()) ? null : shared.admits(call, null) ? "" : null;
        if (client == null) {
            return WeChatReplies.error(40001, "the component_access_token was not handed out by this sidecar");
        }
        Answer answer = accessToken(
                key(TokenKind.WECHAT_AUTHORIZER_ACCESS_TOKEN, component + "." + authorizer),
                "authorizer_access_token",
                40013,
                client);
        String refreshToken = call.field("authorizer_refresh_token");
        if (refreshToken == null || !isSuccess(answer)) {
            return answer;
        }
        JsonNode body = Json.MAPPER.readTree(answer.body());
        return WeChatReplies.ok(Json.fields(
                "authorizer_access_token", body.get("authorizer_access_token").asString(),
                "expires_in", body.get("expires_in").asLong(),
                "authorizer_refresh_token", refreshToken));
    }

    private Answer accessToken(Optional<TokenKey> key, String member, int unknownErrcode, String client) {
        if (key.isEmpty()) {
            return WeChatReplies.error(unknownErrcode, "not a valid account for a token key");
        }
        return served(key.get(), lookup.find(key.get()), member, unknownErrcode, false, client);
    }

    private String notAdmitted() {
        return handles != null && presented.clientsConfigured()
                ? "the secret is not a configured gateway client's (tokencast.sidecar.gateway.clients)"
                : "the secret is not this sidecar's shared token";
    }

    /**
     * The token (or, in gateway mode, a handle for it: tickets always stay real, services sign with them) and
     * the seconds it is safe to use.
     */
    private Answer served(
            TokenKey key, Lookup found, String member, int unknownErrcode, boolean withErrcode, String client) {
        if (found instanceof Lookup.Served served) {
            long expiresIn = served.expiresIn(lookup.now());
            String value = served.token().value();
            if (handles != null && !member.equals("ticket")) {
                if (presented.clientsConfigured() && presented.client(null).isEmpty() && !clientReaches(client, key)) {
                    return WeChatReplies.error(unknownErrcode, "key " + key + " is outside this client's keys");
                }
                value = handles.mint(key, client, lookup.now().plusSeconds(expiresIn));
            }
            var fields = Json.fields(member, value, "expires_in", expiresIn);
            return withErrcode ? WeChatReplies.okWithErrcode(fields) : WeChatReplies.ok(fields);
        }
        return WeChatReplies.unservable((Lookup.Unservable) found, unknownErrcode);
    }

    private boolean clientReaches(String client, TokenKey key) {
        return config.gateway().clients().stream().anyMatch(c -> c.name().equals(client) && c.reaches(key.asString()));
    }

    private static boolean isSuccess(Answer answer) {
        return !Json.MAPPER.readTree(answer.body()).has("errcode");
    }

    private static Optional<TokenKey> key(TokenKind kind, String account) {
        try {
            return Optional.of(TokenKey.of(kind, account));
        } catch (InvalidTokenKeyException e) {
            return Optional.empty();
        }
    }

    private static CompletableFuture<Answer> done(Answer answer) {
        return CompletableFuture.completedFuture(answer);
    }
}
