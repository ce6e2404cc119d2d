package io.tokencast.testkit.wechat;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Everything the endpoints share. One lock (this object) guards it all: the sandbox favours obviously
 * consistent answers over throughput, and network I/O (latency faults, ticket pushes) happens outside it.
 */
final class SandboxState {

    final Clock clock;
    final SandboxSettings settings;
    final Accounts accounts = new Accounts();
    final TokenRegistry tokens = new TokenRegistry();
    final RotatingPool classic;
    final StablePool stable;
    final ReusingPool wecom;
    final RotatingPool component;
    final RotatingPool authorizer;
    final ReusingPool jsapiTickets;
    final ReusingPool cardTickets;
    final ReusingPool wecomJsapiTickets;
    final ReusingPool wecomAgentTickets;
    final VerifyTickets verifyTickets = new VerifyTickets();
    final Quotas quotas;
    final Faults faults = new Faults();
    final CallLog log = new CallLog();

    SandboxState(Clock clock, SandboxSettings settings) {
        this.clock = clock;
        this.settings = settings;
        this.classic = new RotatingPool(tokens, MintedKind.CLASSIC_ACCESS_TOKEN, WeChatEndpoint.TOKEN);
        this.stable = new StablePool(tokens);
        this.wecom = new ReusingPool(tokens, MintedKind.WECOM_ACCESS_TOKEN, WeChatEndpoint.WECOM_GETTOKEN);
        this.component = new RotatingPool(tokens, MintedKind.COMPONENT_ACCESS_TOKEN, WeChatEndpoint.COMPONENT_TOKEN);
        this.authorizer = new RotatingPool(tokens, MintedKind.AUTHORIZER_ACCESS_TOKEN, WeChatEndpoint.AUTHORIZER_TOKEN);
        this.jsapiTickets = new ReusingPool(tokens, MintedKind.JSAPI_TICKET, WeChatEndpoint.GET_TICKET);
        this.cardTickets = new ReusingPool(tokens, MintedKind.CARD_TICKET, WeChatEndpoint.GET_TICKET);
        this.wecomJsapiTickets =
                new ReusingPool(tokens, MintedKind.WECOM_JSAPI_TICKET, WeChatEndpoint.WECOM_GET_JSAPI_TICKET);
        this.wecomAgentTickets =
                new ReusingPool(tokens, MintedKind.WECOM_AGENT_TICKET, WeChatEndpoint.WECOM_AGENT_TICKET);
        this.quotas = new Quotas(settings.wechatZone());
    }

    Instant now() {
        return clock.instant();
    }

    /**
     * Judges a presented access token the way business APIs do (docs/wechat-api.md §9): missing 41001, unknown
     * 40001, past its lifetime 42001, superseded past the overlap 40001. Tickets are not access tokens.
     */
    TokenVerdict checkAccessToken(String value, Instant now) {
        if (value == null) {
            return new TokenVerdict(41001, Optional.empty());
        }
        Optional<IssuedToken> token = tokens.find(value).filter(t -> !t.kind.isTicket());
        return new TokenVerdict(token.map(t -> t.errcodeAt(now)).orElse(40001), token);
    }

    record TokenVerdict(int errcode, Optional<IssuedToken> token) {
        boolean ok() {
            return errcode == 0;
        }
    }
}
