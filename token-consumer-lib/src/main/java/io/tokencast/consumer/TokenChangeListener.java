package io.tokencast.consumer;

import io.tokencast.schema.TokenKey;

/**
 * Hears about new token versions and removals. Called on the view's reader thread, in topic order, after
 * the change is visible to readers; keep it quick and do not block. An exception thrown here is logged and
 * does not stop the view.
 */
@FunctionalInterface
public interface TokenChangeListener {

    /** A newer version of {@code token.key()} is now served (also during the initial read). */
    void tokenRefreshed(Token token);

    /** The key was removed (a tombstone on the topic). */
    default void tokenRemoved(TokenKey key) {}
}
