package io.tokencast.consumer;

import io.tokencast.schema.TokenKey;

/**
 * The view has not yet read its topic to the end offsets taken at start, so it cannot tell whether the
 * version it holds is the newest: it serves nothing until it can.
 */
public final class TokenNotReadyException extends TokenUnavailableException {

    TokenNotReadyException(TokenKey key, String message) {
        super(key, message);
    }
}
