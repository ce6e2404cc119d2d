package io.tokencast.refresher.service.openplatform;

import io.tokencast.refresher.refresh.CommandContext;
import io.tokencast.refresher.refresh.Retirement;
import io.tokencast.schema.CredentialKind;
import io.tokencast.schema.TokenKey;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes a retired authorizer's token through {@link Retirement}, off the caller's thread (a callback must
 * answer within about 5 s). While a refresh of the key holds its lock it tries again every second, so the
 * tombstone lands after that refresh's version, not before it; it gives up once the lock would have expired.
 */
final class RetiredTokens implements BiConsumer<TokenKey, String> {

    private static final Logger log = LoggerFactory.getLogger(RetiredTokens.class);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final Retirement retirement;
    private final CredentialVault vault;
    private final ScheduledExecutorService tasks;
    private final int attempts;

    /** @param giveUpAfter how long to keep trying: the per-key lock's longest life */
    RetiredTokens(Retirement retirement, CredentialVault vault, ScheduledExecutorService tasks, Duration giveUpAfter) {
        this.retirement = retirement;
        this.vault = vault;
        this.tasks = tasks;
        this.attempts = (int) Math.max(1, giveUpAfter.dividedBy(RETRY));
    }

    @Override
    public void accept(TokenKey key, String requestedBy) {
        CommandContext command = new CommandContext(UUID.randomUUID(), null, false, requestedBy);
        tasks.execute(() -> attempt(key, command, 1));
    }

    private void attempt(TokenKey key, CommandContext command, int attempt) {
        String refreshKey = CredentialKind.AUTHORIZER_REFRESH_TOKEN.keyFor(key.account());
        try {
            // Registered again meanwhile: the new authorization's token must stay.
            Retirement.Result result =
                    retirement.retire(key, command, () -> vault.find(refreshKey).isEmpty());
            if (result == Retirement.Result.LOCKED) {
                again(key, command, attempt, "key-locked-by-a-refresh");
            }
        } catch (RuntimeException e) {
            again(key, command, attempt, e.toString());
        }
    }

    private void again(TokenKey key, CommandContext command, int attempt, String cause) {
        if (attempt >= attempts) {
            log.error(
                    "token not removed key={} attempts={} cause={} action=its-last-version-stays-on-the-topic-until-it-expires",
                    key,
                    attempt,
                    cause);
            return;
        }
        log.debug("token removal retried key={} attempt={} cause={}", key, attempt, cause);
        tasks.schedule(() -> attempt(key, command, attempt + 1), RETRY.toMillis(), TimeUnit.MILLISECONDS);
    }
}
