package io.tokencast.sidecar;

import io.tokencast.consumer.Token;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Reports a refused token through the library's report path and waits for its successor. The successor is a
 * token with another fingerprint, not merely a higher version: a re-keyed version carries the same token.
 */
final class Reports {

    private final TokenLookup lookup;
    private final SidecarMetrics metrics;

    Reports(TokenLookup lookup, SidecarMetrics metrics) {
        this.lookup = lookup;
        this.metrics = metrics;
    }

    /**
     * Completes with the next token of another fingerprint, or exceptionally: a {@code TimeoutException}
     * after {@code timeout}, the report's failure, or a refusal to wait.
     */
    CompletableFuture<Token> reportAndAwait(Token refused, int errcode, Duration timeout) {
        String fingerprint = refused.fingerprint();
        CompletableFuture<Token> next = lookup.waiters()
                .await(
                        refused.key(),
                        token -> !token.fingerprint().equals(fingerprint),
                        timeout,
                        () -> lookup.held(refused.key()));
        if (next.isCompletedExceptionally()) {
            metrics.report("refused");
            return next;
        }
        try {
            lookup.view().reportInvalid(refused, errcode).whenComplete((ignored, failure) -> {
                if (failure != null) {
                    next.completeExceptionally(failure);
                }
            });
            metrics.report("sent");
        } catch (RuntimeException e) {
            metrics.report("failed");
            next.completeExceptionally(e);
        }
        return next;
    }
}
