package io.tokencast.consumer;

import io.tokencast.schema.TokenKey;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link TokenView#withToken}: call, and on an invalid-token errcode report, await the next version, retry once. */
final class TokenCalls {

    private static final Logger log = LoggerFactory.getLogger(TokenCalls.class);

    private TokenCalls() {}

    static <T, E extends Exception> T withToken(
            TokenView view,
            Duration refreshTimeout,
            TokenKey key,
            TokenCall<T, E> call,
            ToIntFunction<? super T> errcode)
            throws E {
        Token token = view.token(key);
        T result = call.call(token);
        int code = errcode.applyAsInt(result);
        if (!TokenCall.isInvalidToken(code)) {
            return result;
        }
        Token next = awaitNext(view, refreshTimeout, token, code);
        return next == null ? result : call.call(next);
    }

    static <T, E extends Exception> T withToken(
            TokenView view, Duration refreshTimeout, TokenKey key, TokenCall<T, E> call) throws E {
        Token token = view.token(key);
        try {
            return call.call(token);
        } catch (TokenRejectedException rejected) {
            if (!rejected.tokenInvalid()) {
                throw rejected;
            }
            Token next = awaitNext(view, refreshTimeout, token, rejected.errcode());
            if (next == null) {
                throw rejected;
            }
            return call.call(next);
        }
    }

    /** Reports the dead token and waits for its successor; null when none came in time. */
    private static Token awaitNext(TokenView view, Duration refreshTimeout, Token dead, int errcode) {
        try {
            return view.reportInvalid(dead, errcode).get(refreshTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            log.warn(
                    "no newer token arrived in time key={} version={} fingerprint={} errcode={} waited={}; not retrying."
                            + " Check the refresher and its audit topic.",
                    dead.key(),
                    dead.version(),
                    dead.fingerprint(),
                    errcode,
                    refreshTimeout);
        } catch (ExecutionException e) {
            log.warn(
                    "could not get a newer token key={} version={} errcode={} cause={}; not retrying",
                    dead.key(),
                    dead.version(),
                    errcode,
                    e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }
}
