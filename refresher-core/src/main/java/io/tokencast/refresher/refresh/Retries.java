package io.tokencast.refresher.refresh;

import static io.tokencast.refresher.refresh.RefreshOutcome.Result.FAILED;
import static io.tokencast.refresher.refresh.RefreshOutcome.Result.UNCHANGED;

import io.tokencast.refresher.metrics.RefreshMetrics;
import io.tokencast.refresher.policy.RefreshPolicy;
import io.tokencast.refresher.store.RetryState;
import io.tokencast.refresher.store.StoredToken;
import io.tokencast.refresher.store.TokenStore;
import io.tokencast.refresher.wechat.FetchedToken;
import io.tokencast.refresher.wechat.ManagedCredential;
import io.tokencast.refresher.wechat.WeChatException;
import io.tokencast.schema.AttemptOutcome;
import io.tokencast.schema.RefreshReason;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a key is tried again after an attempt that produced no new version: a failure (backoff, rest after
 * an error retrying cannot fix, next WeChat day after the quota) or an unchanged stable token. Records the
 * key's retry state in Redis, its alert gauge, the audit record and the log line.
 */
final class Retries {

    private static final Logger log = LoggerFactory.getLogger(Retries.class);
    private static final String TOKEN_UNCHANGED = Refresher.TOKEN_UNCHANGED;

    private final TokenStore store;
    private final RefreshPolicy policy;
    private final AuditTrail audit;
    private final RefreshMetrics metrics;
    private final Clock clock;
    private final Duration unchangedRetry;

    /** @param unchangedRetry the shortest wait after WeChat returned the current token */
    Retries(
            TokenStore store,
            RefreshPolicy policy,
            AuditTrail audit,
            RefreshMetrics metrics,
            Clock clock,
            Duration unchangedRetry) {
        this.store = store;
        this.policy = policy;
        this.audit = audit;
        this.metrics = metrics;
        this.clock = clock;
        this.unchangedRetry = unchangedRetry;
    }

    /**
     * WeChat handed back the token Redis holds: a stable token asked for before its last 300 s. No new
     * version (nothing changed for consumers); the key waits until the policy's time for its expiry, and at
     * least {@code unchangedRetry}, so it cannot ask every tick. Audited: every WeChat call is.
     */
    RefreshOutcome unchanged(
            ManagedCredential credential,
            StoredToken stored,
            FetchedToken fetched,
            RefreshReason reason,
            CommandContext command,
            Duration took) {
        TokenKey key = credential.key();
        Instant now = clock.instant();
        Instant next = stored.current()
                .map(current -> policy.nextRefreshAt(key, credential.api(), current.issuedAt(), fetched.expiresAt()))
                // Redis already forgot the dying token WeChat handed out again: its successor comes at expiry.
                .orElse(fetched.expiresAt());
        if (next.isBefore(now.plus(unchangedRetry))) {
            next = now.plus(unchangedRetry);
        }
        store.saveRetry(key, new RetryState(0, next, TOKEN_UNCHANGED, false));
        audit.record(AuditTrail.Entry.of(key, AttemptOutcome.SKIPPED, reason, command)
                .token(stored.version(), stored.fingerprint(), stored.fingerprint())
                .error(TOKEN_UNCHANGED, "WeChat returned the current token; next attempt at " + next)
                .took(took));
        log.info(
                "token unchanged key={} version={} fingerprint={} reason={} nextAttemptAt={}",
                key,
                stored.version(),
                stored.fingerprint(),
                reason,
                next);
        return RefreshOutcome.of(stored, UNCHANGED, TOKEN_UNCHANGED);
    }

    /** Counts the failure and schedules the key's next attempt by the policy. */
    RefreshOutcome failed(
            ManagedCredential credential,
            StoredToken stored,
            RefreshReason reason,
            CommandContext command,
            WeChatException error,
            Duration took) {
        TokenKey key = credential.key();
        Instant now = clock.instant();
        int failures = stored.retryState().map(RetryState::failures).orElse(0) + 1;
        Instant expiresAt = stored.current().map(TokenRefreshed::expiresAt).orElse(null);
        Instant retryAt = policy.retryAt(key, failures, error, now, expiresAt);
        // Backoff heals itself; a wrong secret or a spent quota leaves the token to expire unless someone acts.
        boolean stop = error.retry() != WeChatException.Retry.BACKOFF;
        store.saveRetry(key, new RetryState(failures, retryAt, error.errorCode(), stop));
        metrics.alert(key, stop);
        audit.record(AuditTrail.Entry.of(key, AttemptOutcome.FAILED, reason, command)
                .token(stored.version() == 0 ? null : stored.version(), stored.fingerprint(), null)
                .error(error.errorCode(), error.getMessage())
                .took(took));
        if (stop) {
            log.error(
                    "refresh stopped key={} errorCode={} failures={} retryAt={} message={} action={}",
                    key,
                    error.errorCode(),
                    failures,
                    retryAt,
                    error.getMessage(),
                    error.retry() == WeChatException.Retry.QUOTA
                            ? "clear-the-quota-or-wait-for-the-next-wechat-day"
                            : "fix-the-credential");
        } else {
            log.warn(
                    "refresh failed key={} errorCode={} retry={} failures={} retryAt={} message={}",
                    key,
                    error.errorCode(),
                    error.retry(),
                    failures,
                    retryAt,
                    error.getMessage());
        }
        return RefreshOutcome.of(stored, FAILED, error.errorCode());
    }
}
