package io.tokencast.refresher.service.leader;

import io.tokencast.refresher.leader.KeyLocks;
import io.tokencast.refresher.leader.Leadership;
import io.tokencast.refresher.service.config.TokencastProperties;
import io.tokencast.refresher.service.store.RedisKeyspace;
import net.javacrumbs.shedlock.core.DefaultLockingTaskExecutor;
import net.javacrumbs.shedlock.core.LockProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * ShedLock on Redis: locks live under {@code <prefix>lock:refresher:<name>}, the leader lock is
 * {@code leader}, per-key locks are {@code token/<tokenKey>}.
 */
@Configuration(proxyBeanMethods = false)
class LeaderConfiguration {

    @Bean
    LockProvider tokencastLockProvider(RedisConnectionFactory redis, TokencastProperties properties) {
        return RedisLocks.provider(redis, properties.redis().keyPrefix());
    }

    @Bean
    Leadership leadership(
            LockProvider tokencastLockProvider, StringRedisTemplate redis, TokencastProperties properties) {
        return new ShedLockLeadership(
                tokencastLockProvider,
                redis,
                new RedisKeyspace(properties.redis().keyPrefix()).leader(),
                properties.instanceId(),
                properties.refresh().lockAtMostFor());
    }

    @Bean
    KeyLocks keyLocks(LockProvider tokencastLockProvider, TokencastProperties properties) {
        return new ShedLockKeyLocks(
                new DefaultLockingTaskExecutor(tokencastLockProvider),
                properties.refresh().lockAtMostFor());
    }
}
