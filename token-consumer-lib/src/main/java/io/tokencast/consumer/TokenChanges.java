package io.tokencast.consumer;

import io.tokencast.schema.TokenKey;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who hears of a {@link TokenTable}'s changes: the registered {@link TokenChangeListener}s and the callers waiting
 * for a key's next version. A listener that throws is logged and skipped; it never stops the table's writer.
 */
final class TokenChanges {

    private static final Logger log = LoggerFactory.getLogger(TokenTable.class);

    private final List<TokenChangeListener> listeners = new CopyOnWriteArrayList<>();
    private final NextVersions nextVersions = new NextVersions();

    void addListener(TokenChangeListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    void removeListener(TokenChangeListener listener) {
        listeners.remove(listener);
    }

    /** Tells waiters and listeners of a newly held version, if it has a servable token. */
    void refreshed(Held next) {
        if (next.token() != null) {
            nextVersions.arrived(next.token());
            for (TokenChangeListener listener : listeners) {
                notify(listener, next.key(), () -> listener.tokenRefreshed(next.token()));
            }
        }
    }

    void removed(TokenKey key) {
        for (TokenChangeListener listener : listeners) {
            notify(listener, key, () -> listener.tokenRemoved(key));
        }
    }

    /** See {@link NextVersions#awaitVersion}. */
    CompletableFuture<Token> nextVersion(Token rejected, Supplier<Token> held) {
        return nextVersions.awaitVersion(rejected, held);
    }

    /** See {@link NextVersions#await}. */
    CompletableFuture<Token> nextToken(Token rejected, Supplier<Token> held) {
        return nextVersions.await(rejected, held);
    }

    void failWaiters(RuntimeException cause) {
        nextVersions.failAll(cause);
    }

    private static void notify(TokenChangeListener listener, TokenKey key, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.warn(
                    "token listener failed key={} listener={} cause={}",
                    key,
                    listener.getClass().getName(),
                    e.toString());
        }
    }
}
