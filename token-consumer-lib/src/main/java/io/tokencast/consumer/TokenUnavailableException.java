package io.tokencast.consumer;

import io.tokencast.schema.TokenKey;
import java.util.Optional;

/**
 * A view cannot serve a token. The subclass says why; the message names the key, the cause and a fix.
 * Catch this type to handle every reason alike.
 */
public class TokenUnavailableException extends RuntimeException {

    private final TokenKey key;

    TokenUnavailableException(TokenKey key, String message) {
        super(message);
        this.key = key;
    }

    /** The key asked for; empty when the whole view is unavailable (e.g. {@link TokenView#awaitReady} timed out). */
    public Optional<TokenKey> key() {
        return Optional.ofNullable(key);
    }
}
