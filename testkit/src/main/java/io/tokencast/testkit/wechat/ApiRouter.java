package io.tokencast.testkit.wechat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes WeChat API paths (both hosts share one server) to the endpoints, applies transport faults,
 * and records each call. Paths under {@code /sandbox/} go to the inspection handler instead.
 */
final class ApiRouter implements HttpHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiRouter.class);

    private final SandboxState s;
    private final TokenEndpoints tokens;
    private final OpenPlatformEndpoints openPlatform;
    private final TokenUseEndpoints tokenUse;
    private final MiniProgramEndpoints miniProgram;
    private final BusinessEndpoints business;
    private final WeComTicketEndpoints wecomTickets;
    private final HttpHandler inspection;

    ApiRouter(SandboxState state, TicketPusher pusher, HttpHandler inspection) {
        this.s = state;
        this.tokens = new TokenEndpoints(state);
        this.openPlatform = new OpenPlatformEndpoints(state, pusher::pushSoon);
        this.tokenUse = new TokenUseEndpoints(state);
        this.miniProgram = new MiniProgramEndpoints(state);
        this.business = new BusinessEndpoints(state);
        this.wecomTickets = new WeComTicketEndpoints(state);
        this.inspection = inspection;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            String path = exchange.getRequestURI().getPath();
            if (path.startsWith("/sandbox/")) {
                inspection.handle(exchange);
                return;
            }
            WeChatEndpoint endpoint = WeChatEndpoint.forPath(path);
            if (endpoint == null) {
                send(exchange, Reply.notFound(path));
                return;
            }
            delay(s.faults.latency());
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String callerIp = exchange.getRemoteAddress().getAddress().getHostAddress();
            Reply reply;
            ApiCall call;
            synchronized (s) {
                call = new ApiCall(
                        exchange.getRequestMethod(),
                        path,
                        exchange.getRequestURI().getRawQuery(),
                        body,
                        callerIp,
                        s.now());
                call.caller = exchange.getRequestHeaders().getFirst("User-Agent");
                call.contentType = exchange.getRequestHeaders().getFirst("Content-Type");
                call.headerNames = exchange.getRequestHeaders().keySet().stream()
                        .map(name -> name.toLowerCase(java.util.Locale.ROOT))
                        .collect(java.util.stream.Collectors.toUnmodifiableSet());
                if (s.faults.takeReset()) {
                    record(endpoint, call, null, "connection-reset");
                    // Closing without a status line is what a reset looks like to the client.
                    return;
                }
                reply = answer(endpoint, call);
                record(endpoint, call, reply, null);
            }
            send(exchange, reply);
        } finally {
            exchange.close();
        }
    }

    private Reply answer(WeChatEndpoint endpoint, ApiCall call) {
        OptionalInt serverError = s.faults.takeServerError();
        if (serverError.isPresent()) {
            return Reply.serverError(serverError.getAsInt());
        }
        if (s.faults.takeGlobalSystemError()) {
            return endpoint.isWeCom() ? Reply.wecomError(-1, call.callerIp) : Reply.error(-1);
        }
        return switch (endpoint) {
            case TOKEN -> tokens.classic(call);
            case STABLE_TOKEN -> tokens.stable(call);
            case WECOM_GETTOKEN -> tokens.wecom(call);
            case COMPONENT_TOKEN -> openPlatform.componentToken(call);
            case AUTHORIZER_TOKEN -> openPlatform.authorizerToken(call);
            case START_PUSH_TICKET -> openPlatform.startPushTicket(call);
            case GET_TICKET -> tokenUse.ticket(call);
            case WECOM_GET_JSAPI_TICKET -> wecomTickets.corpTicket(call);
            case WECOM_AGENT_TICKET -> wecomTickets.agentTicket(call);
            case CLEAR_QUOTA -> tokenUse.clearQuota(call);
            case CLEAR_QUOTA_V2 -> tokenUse.clearQuotaWithSecret(call);
            case GET_CALLBACK_IP -> tokenUse.callbackIp(call);
            case WXA_GET_PAID_UNIONID -> miniProgram.paidUnionId(call);
            case WXA_MSG_SEC_CHECK -> miniProgram.messageSecurityCheck(call);
            case CUSTOM_SEND -> business.customSend(call);
            case MENU_CREATE -> business.menuCreate(call);
            case MENU_GET -> business.menuGet(call);
            case USER_INFO -> business.userInfo(call);
            case MEDIA_UPLOAD -> business.mediaUpload(call);
            case MEDIA_GET -> business.mediaGet(call);
            case COMPONENT_AUTHORIZER_OPTION -> business.authorizerOption(call);
        };
    }

    private void record(WeChatEndpoint endpoint, ApiCall call, Reply reply, String fault) {
        String effectiveFault = fault != null ? fault : reply.status() >= 500 ? "http-" + reply.status() : null;
        SandboxCall entry = new SandboxCall(
                call.now,
                endpoint,
                call.method,
                call.account,
                call.callerIp,
                reply == null ? 0 : reply.status(),
                reply == null ? null : reply.errcode(),
                call.presentedFingerprint,
                call.issuedFingerprint,
                effectiveFault,
                call.caller,
                call.headerNames,
                call.rawQuery);
        s.log.add(entry);
        log.debug(
                "call endpoint={} account={} status={} errcode={} presented={} issued={} fault={}",
                endpoint,
                entry.account(),
                entry.httpStatus(),
                entry.errcode(),
                entry.presentedFingerprint(),
                entry.issuedFingerprint(),
                effectiveFault);
    }

    static void send(HttpExchange exchange, Reply reply) throws IOException {
        byte[] bytes = reply.wire();
        exchange.getResponseHeaders().set("Content-Type", reply.contentType());
        reply.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.sendResponseHeaders(reply.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void delay(Duration latency) {
        if (latency.isZero()) {
            return;
        }
        try {
            // Simulated network latency on the server side; tests never wait on it for synchronisation.
            Thread.sleep(latency.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
