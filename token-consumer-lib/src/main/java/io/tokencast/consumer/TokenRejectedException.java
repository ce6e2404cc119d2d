package io.tokencast.consumer;

/**
 * WeChat refused a call made with a token. Throw it from a {@link TokenCall} (e.g. when a response carries
 * a non-zero {@code errcode}) so {@link TokenView#withToken(io.tokencast.schema.TokenKey, TokenCall)} can
 * tell an invalid token, which it reports and retries once, from any other failure.
 */
public class TokenRejectedException extends RuntimeException {

    private final int errcode;

    /** @param errmsg WeChat's {@code errmsg}; it never contains the token */
    public TokenRejectedException(int errcode, String errmsg) {
        super("WeChat answered errcode " + errcode + (errmsg == null || errmsg.isBlank() ? "" : ": " + errmsg));
        this.errcode = errcode;
    }

    /** WeChat's {@code errcode}. */
    public int errcode() {
        return errcode;
    }

    /** Whether the errcode says the token itself is invalid or expired (40001, 40014, 42001). */
    public boolean tokenInvalid() {
        return TokenCall.isInvalidToken(errcode);
    }
}
