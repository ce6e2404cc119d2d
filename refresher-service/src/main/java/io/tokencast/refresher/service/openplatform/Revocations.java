package io.tokencast.refresher.service.openplatform;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tokencast.refresher.service.store.RedisKeyspace;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Authorizers whose authorization WeChat reports gone (61003, 61023, an {@code unauthorized} event), in the
 * Redis hash {@code <prefix>authorizer-revoked:<component>.<authorizer>} ({@code errorCode}, {@code at}), so
 * no replica calls WeChat for them until a new refresh token arrives. Each authorizer has the alert gauge
 * {@code tokencast.authorizer.revoked{authorizer}}, read from Redis on scrape so every replica reports the
 * same.
 */
final class Revocations {

    private final StringRedisTemplate redis;
    private final RedisKeyspace keys;
    private final MeterRegistry registry;
    private final Clock clock;
    private final Set<String> gauged = ConcurrentHashMap.newKeySet();

    Revocations(StringRedisTemplate redis, String prefix, MeterRegistry registry, Clock clock) {
        this.redis = redis;
        this.keys = new RedisKeyspace(prefix);
        this.registry = registry;
        this.clock = clock;
    }

    /** Registers the alert gauge of an authorizer ({@code component.authorizer}) once. */
    void track(String authorizer) {
        if (gauged.add(authorizer)) {
            Gauge.builder("tokencast.authorizer.revoked", this, r -> r.gaugeValue(authorizer))
                    .tag("authorizer", authorizer)
                    .description("1 while the authorizer's authorization is gone and it must authorize again")
                    .register(registry);
        }
    }

    void revoke(String authorizer, String errorCode) {
        track(authorizer);
        redis.opsForHash()
                .putAll(
                        key(authorizer),
                        Map.of("errorCode", errorCode, "at", clock.instant().toString()));
    }

    void clear(String authorizer) {
        redis.delete(key(authorizer));
    }

    /** The errcode that revoked the authorizer, if it is revoked. */
    Optional<String> revoked(String authorizer) {
        Object code = redis.opsForHash().get(key(authorizer), "errorCode");
        return Optional.ofNullable(code).map(Object::toString);
    }

    private double gaugeValue(String authorizer) {
        try {
            return revoked(authorizer).isPresent() ? 1 : 0;
        } catch (DataAccessException e) {
            return Double.NaN;
        }
    }

    private String key(String authorizer) {
        return keys.authorizerRevoked(authorizer);
    }
}
