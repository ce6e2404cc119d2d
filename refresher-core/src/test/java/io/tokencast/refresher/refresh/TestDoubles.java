package io.tokencast.refresher.refresh;

import io.tokencast.refresher.leader.KeyLocks;
import io.tokencast.refresher.quota.QuotaGuard;
import io.tokencast.refresher.wechat.FetchMode;
import io.tokencast.refresher.wechat.ManagedCredential;
import io.tokencast.schema.TokenKey;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** The lock and quota stand-ins the refresh engine's unit tests share; Redis stands behind the real ones. */
final class TestDoubles {

    private TestDoubles() {}

    /** Locks that every task gets at once: one refresher, nobody else. */
    static KeyLocks uncontendedLocks() {
        return locks(() -> false);
    }

    /** Locks that another replica holds while {@code lockedElsewhere} says so. */
    static KeyLocks locks(BooleanSupplier lockedElsewhere) {
        return new KeyLocks() {
            @Override
            public <T> Optional<T> withLock(TokenKey key, Supplier<T> task) {
                return lockedElsewhere.getAsBoolean() ? Optional.empty() : Optional.ofNullable(task.get());
            }
        };
    }

    /** A quota that always has a fetch left, reporting {@code dailyLimit} and nothing used. */
    static QuotaGuard openQuota(long dailyLimit) {
        return quota(() -> true, dailyLimit);
    }

    /** A quota that has a fetch left while {@code left} says so, reporting {@code dailyLimit} and nothing used. */
    static QuotaGuard quota(BooleanSupplier left, long dailyLimit) {
        return new QuotaGuard() {
            @Override
            public boolean tryAcquire(ManagedCredential credential, FetchMode mode) {
                return left.getAsBoolean();
            }

            @Override
            public long usedToday(ManagedCredential credential, FetchMode mode) {
                return 0;
            }

            @Override
            public long dailyLimit(ManagedCredential credential, FetchMode mode) {
                return dailyLimit;
            }
        };
    }
}
