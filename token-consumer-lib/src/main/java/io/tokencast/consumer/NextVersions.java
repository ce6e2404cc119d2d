package io.tokencast.consumer;

import io.tokencast.schema.TokenKey;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** Callers waiting for a key's next version, e.g. after reporting the current one dead. */
final class NextVersions {

    private final ConcurrentHashMap<TokenKey, Set<Waiter>> waiters = new ConcurrentHashMap<>();

    /**
     * A future for the first token of {@code key} newer than {@code rejected} with another fingerprint: a
     * re-published version of the same token (re-keyed under a new encryption key) is no replacement for a
     * token WeChat refused. {@code held} reads the token held now, which may already be that one.
     */
    CompletableFuture<Token> await(Token rejected, Supplier<Token> held) {
        return await(
                rejected.key(),
                new Waiter(rejected.version(), rejected.fingerprint(), new CompletableFuture<>()),
                held);
    }

    /** A future for the first version newer than {@code rejected}, even one carrying the same token. */
    CompletableFuture<Token> awaitVersion(Token rejected, Supplier<Token> held) {
        return await(rejected.key(), new Waiter(rejected.version(), null, new CompletableFuture<>()), held);
    }

    private CompletableFuture<Token> await(TokenKey key, Waiter waiter, Supplier<Token> held) {
        CompletableFuture<Token> future = waiter.future();
        // compute, not computeIfAbsent + add: the removal below must never drop a set a waiter is joining.
        waiters.compute(key, (k, set) -> {
            Set<Waiter> result = set == null ? ConcurrentHashMap.newKeySet() : set;
            result.add(waiter);
            return result;
        });
        future.whenComplete((token, failure) -> waiters.computeIfPresent(key, (k, set) -> {
            set.remove(waiter);
            return set.isEmpty() ? null : set;
        }));
        // The version may have arrived between the caller's read and the registration above.
        Token current = held.get();
        if (current != null && waiter.replacedBy(current)) {
            future.complete(current);
        }
        return future;
    }

    void arrived(Token token) {
        Set<Waiter> waiting = waiters.get(token.key());
        if (waiting != null) {
            for (Waiter waiter : waiting) {
                if (waiter.replacedBy(token)) {
                    waiter.future().complete(token);
                }
            }
        }
    }

    void failAll(RuntimeException cause) {
        waiters.values().forEach(set -> set.forEach(waiter -> waiter.future().completeExceptionally(cause)));
    }

    private record Waiter(long afterVersion, String rejectedFingerprint, CompletableFuture<Token> future) {

        boolean replacedBy(Token token) {
            return token.version() > afterVersion
                    && (rejectedFingerprint == null || !token.fingerprint().equals(rejectedFingerprint));
        }
    }
}
