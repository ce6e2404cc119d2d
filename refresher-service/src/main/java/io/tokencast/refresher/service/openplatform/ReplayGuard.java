package io.tokencast.refresher.service.openplatform;

import io.tokencast.refresher.service.store.RedisKeyspace;
import java.time.Duration;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Remembers the nonces of accepted pushes in Redis ({@code <prefix>callback-nonce:<component>:<nonce>}, set
 * with NX), across replicas, for twice the replay window: long enough to cover every timestamp the window
 * still accepts, so a captured push cannot be delivered again to any replica.
 */
final class ReplayGuard {

    private final StringRedisTemplate redis;
    private final RedisKeyspace keys;
    private final Duration remember;

    ReplayGuard(StringRedisTemplate redis, String prefix, Duration replayWindow) {
        this.redis = redis;
        this.keys = new RedisKeyspace(prefix);
        this.remember = replayWindow.multipliedBy(2);
    }

    /** True for the first claim of the nonce, false for any repeat. */
    boolean claim(String componentAppid, String nonce) {
        return Boolean.TRUE.equals(redis.opsForValue().setIfAbsent(key(componentAppid, nonce), "1", remember));
    }

    /** Forgets a claimed nonce whose push could not be stored, so WeChat's retry of it is accepted. */
    void release(String componentAppid, String nonce) {
        redis.delete(key(componentAppid, nonce));
    }

    private String key(String componentAppid, String nonce) {
        return keys.callbackNonce(componentAppid, nonce);
    }
}
