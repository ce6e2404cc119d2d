package io.tokencast.consumer;

import io.tokencast.schema.TokenKey;

/** No token was ever published for the key: a typo in the key, or an app the refresher does not manage. */
public final class UnknownTokenException extends TokenUnavailableException {

    UnknownTokenException(TokenKey key, String message) {
        super(key, message);
    }
}
