package io.tokencast.consumer;

import java.util.Set;

/**
 * A call to WeChat made with a token, for {@link TokenView#withToken}. Wrap the HTTP call as it is:
 *
 * <pre>{@code
 * SendResult result = tokens.withToken(key, token -> api.send(token.value(), message), SendResult::errcode);
 * }</pre>
 *
 * @param <T> what the call returns
 * @param <E> what the call may throw, e.g. {@code IOException}; inferred from the lambda
 */
@FunctionalInterface
public interface TokenCall<T, E extends Exception> {

    /** WeChat errcodes that mean the token is dead: invalid credential, invalid token, token expired. */
    Set<Integer> INVALID_TOKEN_ERRCODES = Set.of(40001, 40014, 42001);

    T call(Token token) throws E;

    /** Whether WeChat's errcode says the token itself is invalid, so a newer version may succeed. */
    static boolean isInvalidToken(int errcode) {
        return INVALID_TOKEN_ERRCODES.contains(errcode);
    }
}
