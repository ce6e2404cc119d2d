package io.tokencast.refresher.service.leader;

import io.tokencast.refresher.service.store.RedisKeyspace;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.provider.redis.spring.RedisLockProvider;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/** The ShedLock provider every lock of the refresher takes: keys {@code <prefix>lock:refresher:<name>} in Redis. */
public final class RedisLocks {

    private RedisLocks() {}

    public static LockProvider provider(RedisConnectionFactory redis, String keyPrefix) {
        return new RedisLockProvider.Builder(redis)
                .keyPrefix(new RedisKeyspace(keyPrefix).locks())
                .environment("refresher")
                // Compare-and-extend: a replica whose lock expired must not extend the next holder's.
                .safeUpdate(true)
                .build();
    }
}
