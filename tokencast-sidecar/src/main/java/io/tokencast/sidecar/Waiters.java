package io.tokencast.sidecar;

import io.tokencast.consumer.Token;
import io.tokencast.schema.TokenKey;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Requests waiting for a key's next token (long polls, reports), bounded in number and time. Nothing blocks a
 * thread while it waits: each waiter is a future completed by the view's listener, or by its timeout, and
 * answered on the HTTP server's pool, never on the view's reader thread.
 */
final class Waiters {

    private final ConcurrentHashMap<TokenKey, Set<Waiter>> waiting = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();
    private final int max;
    private final Executor executor;
    private volatile RuntimeException closed;

    Waiters(int max, Executor executor) {
        this.max = max;
        this.executor = executor;
    }

    /**
     * Completes with the first token of {@code key} that satisfies {@code wanted} (possibly the one held now,
     * read through {@code held} after registering, so none slips between read and registration), or
     * exceptionally with a {@link TimeoutException} after {@code timeout}, or with {@link TooManyWaiters}.
     */
    CompletableFuture<Token> await(TokenKey key, Predicate<Token> wanted, Duration timeout, Supplier<Token> held) {
        CompletableFuture<Token> result = new CompletableFuture<>();
        RuntimeException shut = closed;
        if (shut != null) {
            result.completeExceptionally(shut);
            return result;
        }
        if (count.incrementAndGet() > max) {
            count.decrementAndGet();
            result.completeExceptionally(new TooManyWaiters(max));
            return result;
        }
        Waiter waiter = new Waiter(wanted, result);
        waiting.compute(key, (k, set) -> {
            Set<Waiter> s = set == null ? ConcurrentHashMap.newKeySet() : set;
            s.add(waiter);
            return s;
        });
        result.whenComplete((token, failure) -> {
            count.decrementAndGet();
            waiting.computeIfPresent(key, (k, set) -> {
                set.remove(waiter);
                return set.isEmpty() ? null : set;
            });
        });
        result.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Token now = held.get();
        if (now != null && wanted.test(now)) {
            result.complete(now);
        }
        // Whoever completes it (reader thread, timeout thread), the caller continues on the server's pool.
        return result.thenApplyAsync(token -> token, executor);
    }

    /** A new version arrived (the view's reader thread): completes the waiters it satisfies. */
    void arrived(Token token) {
        Set<Waiter> set = waiting.get(token.key());
        if (set != null) {
            for (Waiter waiter : set) {
                if (waiter.wanted().test(token)) {
                    waiter.future().complete(token);
                }
            }
        }
    }

    int size() {
        return count.get();
    }

    /** Ends every wait with {@code cause}, and refuses new ones: the sidecar is shutting down. */
    void close(RuntimeException cause) {
        closed = cause;
        waiting.values().forEach(set -> set.forEach(w -> w.future().completeExceptionally(cause)));
    }

    /** More requests are waiting than {@code tokencast.sidecar.max-waiters} allows. */
    static final class TooManyWaiters extends RuntimeException {
        TooManyWaiters(int max) {
            super(
                    max + " requests are already waiting (tokencast.sidecar.max-waiters); try again shortly",
                    null,
                    false,
                    false);
        }
    }

    private record Waiter(Predicate<Token> wanted, CompletableFuture<Token> future) {}
}
