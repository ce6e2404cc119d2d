package io.tokencast.refresher.wechat;

/**
 * A fetch WeChat refused or that never got an answer. {@link #errorCode()} is WeChat's errcode
 * ({@code "40125"}) or a transport code ({@code "HTTP_503"}, {@code "IO"}, {@code "TIMEOUT"},
 * {@code "BAD_RESPONSE"}). The message never contains a secret or a token.
 */
public class WeChatException extends RuntimeException {

    /** What the refresher should do about it. */
    public enum Retry {
        /** Transient (-1, 5xx, timeouts): back off and try again while the token is still valid. */
        BACKOFF,
        /** Retrying cannot fix it (wrong secret, IP not whitelisted, frozen): rest the key for long, alert. */
        STOP,
        /**
         * The daily quota is spent (45009): rest like {@link #STOP}, with the alert, but no later than the next
         * WeChat day, when the quota returns.
         */
        QUOTA
    }

    private final String errorCode;
    private final Retry retry;

    public WeChatException(String errorCode, Retry retry, String message) {
        super(message);
        this.errorCode = errorCode;
        this.retry = retry;
    }

    public WeChatException(String errorCode, Retry retry, String message, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
        this.retry = retry;
    }

    public String errorCode() {
        return errorCode;
    }

    public Retry retry() {
        return retry;
    }
}
