package io.tokencast.refresher.service.leader;

import io.tokencast.refresher.leader.KeyLocks;
import io.tokencast.schema.TokenKey;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import net.javacrumbs.shedlock.core.ClockProvider;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockingTaskExecutor;

/** {@link KeyLocks} on ShedLock's {@link LockingTaskExecutor}: lock {@code token/<key>}, released at once. */
public final class ShedLockKeyLocks implements KeyLocks {

    private final LockingTaskExecutor executor;
    private final Duration lockAtMostFor;

    /** Locks through {@code executor}, e.g. over {@link RedisLocks#provider}; a crashed holder's lock ends after {@code lockAtMostFor}. */
    public ShedLockKeyLocks(LockingTaskExecutor executor, Duration lockAtMostFor) {
        this.executor = executor;
        this.lockAtMostFor = lockAtMostFor;
    }

    @Override
    public <T> Optional<T> withLock(TokenKey key, Supplier<T> task) {
        LockConfiguration lock =
                new LockConfiguration(ClockProvider.now(), "token/" + key.asString(), lockAtMostFor, Duration.ZERO);
        LockingTaskExecutor.TaskResult<T> result;
        try {
            result = executor.executeWithLock(task::get, lock);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("refresh of " + key + " failed: " + e, e);
        }
        return result.wasExecuted() ? Optional.ofNullable(result.getResult()) : Optional.empty();
    }
}
