package io.tokencast.consumer;

import io.tokencast.schema.TokenKey;

/** The key was removed from the tokens topic (a tombstone): the refresher no longer manages it. */
public final class TokenRemovedException extends TokenUnavailableException {

    TokenRemovedException(TokenKey key, String message) {
        super(key, message);
    }
}
