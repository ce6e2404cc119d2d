package io.tokencast.sidecar;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The answers the HTTP edge ({@link Router}) gives itself: unknown paths, bodies too large or unreadable, failures. */
final class EdgeAnswers {

    private static final Logger log = LoggerFactory.getLogger(EdgeAnswers.class);

    private EdgeAnswers() {}

    static Answer notFound(String path) {
        if (path.startsWith("/cgi-bin/") || path.startsWith("/sns/") || path.startsWith("/wxa/")) {
            return new Answer(
                    404,
                    Answer.JSON,
                    Json.MAPPER.writeValueAsBytes(Json.fields(
                            "errcode",
                            48001,
                            "errmsg",
                            "api unauthorized (tokencast sidecar: it serves WeChat's token endpoints only;"
                                    + " call business APIs at WeChat with the token it gives)")),
                    Map.of());
        }
        return Answer.problem(404, "not-found", "no such endpoint; see /v1/tokens/{kind}/{account}");
    }

    static Answer tooLarge(Endpoint endpoint) {
        return endpoint.isWeChatShaped()
                ? WeChatReplies.error(47001, "the request body is larger than tokencast.sidecar.max-body-size")
                        .withStatus(413)
                : Answer.problem(413, "too-large", "the request body is larger than tokencast.sidecar.max-body-size");
    }

    /** The body could not be read: past the cap (Jetty stops reading there), or the client went away. */
    static Answer unreadable(Endpoint endpoint, Throwable failure) {
        Throwable cause = TokensApi.unwrap(failure);
        if (String.valueOf(cause.getMessage()).contains("exceeded")) {
            return tooLarge(endpoint);
        }
        log.debug(
                "request body unreadable endpoint={} cause={}",
                endpoint,
                cause.getClass().getSimpleName());
        return Answer.problem(400, "unreadable-body", "the request body could not be read");
    }

    static Answer orError(Endpoint endpoint, Answer answer, Throwable failure) {
        if (failure == null) {
            return answer;
        }
        Throwable cause = TokensApi.unwrap(failure);
        boolean wechatShaped = endpoint.isWeChatShaped();
        if (cause instanceof TokensApi.BadRequest || cause instanceof HttpCall.BadBody) {
            return wechatShaped
                    ? WeChatReplies.error(cause instanceof HttpCall.BadBody ? 47001 : 40097, cause.getMessage())
                    : Answer.problem(400, "bad-request", cause.getMessage());
        }
        Answer refused = TokensApi.refusal(cause);
        if (refused != null) {
            return refused;
        }
        log.error("request failed endpoint={} cause={}", endpoint, cause.toString(), cause);
        return wechatShaped
                ? WeChatReplies.error(-1, "internal error; see the sidecar's log")
                : Answer.problem(500, "internal-error", "see the sidecar's log");
    }
}
