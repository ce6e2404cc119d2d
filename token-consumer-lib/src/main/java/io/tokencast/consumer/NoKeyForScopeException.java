package io.tokencast.consumer;

import io.tokencast.schema.TokenKey;

/**
 * The token is published encrypted under a key this service does not hold, or for a key outside its scopes:
 * "no key for this scope". Never garbage: the view serves nothing it could not decrypt.
 */
public class NoKeyForScopeException extends TokenUnavailableException {

    NoKeyForScopeException(TokenKey key, String message) {
        super(key, message);
    }
}
