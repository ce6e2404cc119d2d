package io.tokencast.refresher.leader;

import io.tokencast.schema.TokenKey;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One lock per token key across all replicas, so no two fetches of a key ever run at once (a scheduled
 * refresh on the leader and a manual one on another replica included).
 */
public interface KeyLocks {

    /** Runs {@code task} holding the key's lock; empty, without running it, when another holder has it. */
    <T> Optional<T> withLock(TokenKey key, Supplier<T> task);
}
