package io.tokencast.sidecar;

import io.tokencast.consumer.Token;
import java.net.ConnectException;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One forwarded gateway call, from the caller's request to its answer: the exchange with the upstream, the one
 * retry when WeChat refused the token ({@link RotationRetry}), the answer when the upstream fails, and the call's
 * metrics. It runs on Jetty's callbacks and holds no thread while the upstream thinks or the next token is
 * awaited. No log line carries a query value, a token or a handle.
 */
final class ForwardedCall {

    private static final Logger log = LoggerFactory.getLogger(ForwardedCall.class);

    /** What every forwarded call shares. */
    record Forwarding(
            UpstreamRequests requests,
            RotationRetry rotation,
            GatewayMetrics metrics,
            GatewayConfig config,
            Executor executor) {}

    private final Forwarding forwarding;
    private final Request request;
    private final Response response;
    private final Callback callback;
    private final String path;
    private final String rawPath;
    private final String template;
    private final long started;
    private byte[] replay;

    ForwardedCall(
            Forwarding forwarding,
            Request request,
            Response response,
            Callback callback,
            String path,
            String rawPath,
            String template,
            long started) {
        this.forwarding = forwarding;
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.path = path;
        this.rawPath = rawPath;
        this.template = template;
        this.started = started;
    }

    /**
     * Sends the call upstream.
     *
     * @param body the whole request body, kept for a retry; or null
     * @param stream the request body streamed once, never retried; or null
     */
    void start(CallPlan plan, byte[] body, Content.Source stream) {
        this.replay = body;
        send(plan, stream, plan.primaryToken() != null && stream == null, false);
    }

    private void send(CallPlan plan, Content.Source stream, boolean retryable, boolean retried) {
        org.eclipse.jetty.client.Request out;
        try {
            out = forwarding.requests().build(request, plan, path, rawPath, replay, stream);
        } catch (UpstreamRequests.InvalidTarget e) {
            forwarding.metrics().refusal(template, "bad-request");
            GatewayRefusals.answer(response, callback, WeChatReplies.error(40097, e.getMessage()));
            return;
        }
        out.send(new Relay(response, callback, new Attempt(plan, retryable, retried)));
    }

    /** One exchange with the upstream, and what its outcome means for the call. */
    private final class Attempt implements Relay.Outcome {
        private final CallPlan plan;
        private final boolean retryable;
        private final String outcome;
        private final long sent = System.nanoTime();
        private boolean began;

        Attempt(CallPlan plan, boolean retryable, boolean retried) {
            this.plan = plan;
            this.retryable = retryable;
            this.outcome = retried ? "retried" : "forwarded";
        }

        @Override
        public void began() {
            began = true;
            forwarding.metrics().upstream(template, System.nanoTime() - sent);
        }

        @Override
        public void held(org.eclipse.jetty.client.Response upstream, byte[] body, int length) {
            try {
                int errcode = RotationRetry.errcode(body, length);
                if (retryable && RotationRetry.refusesToken(errcode)) {
                    retry(plan, upstream, body, length, errcode);
                    return;
                }
                answerHeld(upstream, body, length);
                done(outcome);
            } catch (RuntimeException e) {
                internalError(e);
            }
        }

        @Override
        public void streamed() {
            done(outcome);
        }

        @Override
        public void failed(Throwable failure, boolean committed) {
            if (!began) {
                forwarding.metrics().upstream(template, System.nanoTime() - sent);
            }
            try {
                if (committed) {
                    // The answer broke off mid-body (or the caller went away): nothing sensible can be said any more.
                    log.debug(
                            "gateway relay broke off path={} cause={}",
                            template,
                            failure.getClass().getSimpleName());
                    done("broken");
                    callback.failed(failure);
                } else {
                    answerFailure(plan, failure);
                }
            } catch (RuntimeException e) {
                internalError(e);
            }
        }
    }

    /** Reports the refused token and, once the next one is in, sends the call again; else answers the first. */
    private void retry(
            CallPlan plan, org.eclipse.jetty.client.Response upstream, byte[] body, int length, int errcode) {
        Token used = plan.primaryToken();
        // Reporting may wait for Kafka's metadata: never on the thread that read the upstream's answer.
        forwarding
                .executor()
                .execute(() -> forwarding.rotation().next(used, errcode).whenComplete((next, failure) -> {
                    try {
                        if (next == null) {
                            answerHeld(upstream, body, length);
                            done("forwarded");
                            return;
                        }
                        forwarding.metrics().retry(template);
                        send(plan.withToken(plan.primary(), next), null, false, true);
                    } catch (RuntimeException e) {
                        internalError(e);
                    }
                }));
    }

    private void answerHeld(org.eclipse.jetty.client.Response upstream, byte[] body, int length) {
        response.setStatus(upstream.getStatus());
        HopByHop.copyResponse(upstream.getHeaders(), response.getHeaders());
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
        response.write(true, ByteBuffer.wrap(body, 0, length), callback);
    }

    private void answerFailure(CallPlan plan, Throwable failure) {
        Throwable cause = failure;
        while (!(cause instanceof CappedSource.TooLarge) && cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        if (cause instanceof CappedSource.TooLarge) {
            forwarding.metrics().refusal(template, "too-large");
            BodyDrain.drain(
                    request,
                    BodyDrain.LIMIT,
                    forwarding.config().readTimeout(),
                    () -> GatewayRefusals.answer(
                            response, callback, GatewayRefusals.tooLarge().answer()));
            return;
        }
        String host = forwarding.requests().host(path, plan);
        String why;
        if (cause instanceof TimeoutException
                || cause.getClass().getSimpleName().contains("Timeout")) {
            why = "upstream " + host + " did not answer within the read timeout ("
                    + forwarding.config().readTimeout() + ")";
        } else if (cause instanceof ConnectException) {
            why = "upstream " + host + " refused the connection or could not be reached";
        } else {
            why = "upstream " + host + " failed: " + cause.getClass().getSimpleName();
        }
        log.warn(
                "gateway upstream failed path={} cause={}",
                template,
                cause.getClass().getSimpleName());
        done("upstream-error");
        GatewayRefusals.answer(response, callback, WeChatReplies.error(-1, why));
    }

    private void internalError(RuntimeException e) {
        // The class and the frames, not the message: a message may quote the upstream URI.
        RuntimeException quiet = new RuntimeException(e.getClass().getName(), null, false, true) {};
        quiet.setStackTrace(e.getStackTrace());
        log.error("gateway call failed path={} cause={}", template, e.getClass().getName(), quiet);
        GatewayRefusals.answer(response, callback, WeChatReplies.error(-1, "internal error; see the sidecar's log"));
    }

    private void done(String outcome) {
        forwarding.metrics().call(template, outcome, System.nanoTime() - started);
    }
}
