package io.tokencast.testkit.wechat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.tokencast.testkit.MutableClock;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/**
 * {@code /sandbox/*}: inspection and knobs over HTTP, for the demo and for tests not written in Java.
 * Not part of WeChat's API, never faulted, never logged as API calls.
 */
final class InspectionHandler implements HttpHandler {

    private final WeChatSandbox sandbox;

    InspectionHandler(WeChatSandbox sandbox) {
        this.sandbox = sandbox;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        ApiCall q = new ApiCall(
                exchange.getRequestMethod(),
                exchange.getRequestURI().getPath(),
                exchange.getRequestURI().getRawQuery(),
                exchange.getRequestBody().readAllBytes(),
                "",
                sandbox.clock().instant());
        Reply reply;
        try {
            reply = answer(q);
        } catch (IllegalArgumentException | IllegalStateException e) {
            reply = new Reply(400, "text/plain; charset=utf-8", e.getMessage(), null);
        }
        ApiRouter.send(exchange, reply);
    }

    private Reply answer(ApiCall q) {
        return switch (q.path) {
            case "/sandbox/calls" -> Reply.ok(Map.of("calls", sandbox.callLog()));
            case "/sandbox/stats" -> stats(q);
            case "/sandbox/push_ticket" -> Reply.ok(
                    Map.of("reply", sandbox.pushTicketNow(required(q, "component_appid"))));
            case "/sandbox/verify_ticket" -> Reply.ok(Reply.fields(
                    "ticket",
                    sandbox.currentVerifyTicket(required(q, "component_appid")).orElse(null)));
            case "/sandbox/check_token" -> Reply.ok(Map.of("errcode", sandbox.checkToken(q.param("access_token"))));
            case "/sandbox/check_ticket" -> Reply.ok(Map.of("errcode", sandbox.checkTicket(q.param("ticket"))));
            case "/sandbox/advance" -> advance(q);
            case "/sandbox/faults" -> faults(q);
            default -> Reply.notFound(q.path);
        };
    }

    private Reply stats(ApiCall q) {
        String account = required(q, "account");
        WeChatEndpoint endpoint = WeChatEndpoint.valueOf(required(q, "endpoint").toUpperCase());
        return Reply.ok(Reply.fields(
                "account", account,
                "endpoint", endpoint,
                "calls", sandbox.calls(account, endpoint),
                "tokensIssued", sandbox.tokensIssued(account, endpoint),
                "tokensValid", sandbox.tokensValid(account, endpoint)));
    }

    private Reply advance(ApiCall q) {
        if (!(sandbox.clock() instanceof MutableClock clock)) {
            throw new IllegalStateException(
                    "this sandbox runs on a real clock; start it with --virtual-clock to move time");
        }
        clock.advance(Duration.ofSeconds(Long.parseLong(required(q, "seconds"))));
        return Reply.ok(Map.of("now", clock.instant().toString()));
    }

    /** e.g. {@code ?fail_next=2&account=wx1}, {@code ?script=40125&account=wx1}, {@code ?reset=1}. */
    private Reply faults(ApiCall q) {
        String account = q.param("account");
        if (q.param("fail_next") != null) {
            int n = Integer.parseInt(q.param("fail_next"));
            if (account == null) {
                sandbox.failNext(n);
            } else {
                sandbox.failNext(account, n);
            }
        }
        if (q.param("script") != null) {
            sandbox.scriptErrcode(required(q, "account"), Integer.parseInt(q.param("script")));
        }
        if (q.param("clear_script") != null) {
            sandbox.clearScript(q.param("clear_script"));
        }
        if (q.param("server_error") != null) {
            int status = q.param("status") == null ? 503 : Integer.parseInt(q.param("status"));
            sandbox.serverErrorNext(Integer.parseInt(q.param("server_error")), status);
        }
        if (q.param("reset") != null) {
            sandbox.resetConnectionNext(Integer.parseInt(q.param("reset")));
        }
        if (q.param("latency_ms") != null) {
            sandbox.setLatency(Duration.ofMillis(Long.parseLong(q.param("latency_ms"))));
        }
        if (q.param("invalidate") != null) {
            sandbox.invalidateTokens(q.param("invalidate"));
        }
        return Reply.okWithErrcode(Reply.fields());
    }

    private static String required(ApiCall q, String name) {
        String v = q.param(name);
        if (v == null) {
            throw new IllegalArgumentException("query parameter '" + name + "' is required for " + q.path);
        }
        return v;
    }
}
