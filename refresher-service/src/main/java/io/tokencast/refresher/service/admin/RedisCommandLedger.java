package io.tokencast.refresher.service.admin;

import io.tokencast.refresher.service.store.RedisKeyspace;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * {@link CommandLedger} in Redis: {@code SET NX} on {@code <prefix>admin:<namespace>:<commandId>} with a TTL.
 * Operator commands and reports keep apart namespaces ({@code command}, {@code report}): anyone may write a
 * report, and a report carrying a command's id must not make that command a duplicate.
 */
final class RedisCommandLedger implements CommandLedger {

    private final StringRedisTemplate redis;
    private final String keyPrefix;
    private final Duration window;
    private final String instanceId;

    RedisCommandLedger(
            StringRedisTemplate redis, String keyPrefix, String namespace, Duration window, String instanceId) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.keyPrefix = new RedisKeyspace(keyPrefix).commandIds(Objects.requireNonNull(namespace, "namespace"));
        this.window = Objects.requireNonNull(window, "window");
        this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
    }

    @Override
    public boolean firstSighting(UUID commandId) {
        // The value names the replica that took the command, for whoever inspects Redis.
        return Boolean.TRUE.equals(redis.opsForValue().setIfAbsent(key(commandId), instanceId, window));
    }

    @Override
    public void forget(UUID commandId) {
        redis.delete(key(commandId));
    }

    String key(UUID commandId) {
        return keyPrefix + commandId;
    }
}
