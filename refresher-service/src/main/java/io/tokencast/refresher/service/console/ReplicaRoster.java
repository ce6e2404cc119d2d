package io.tokencast.refresher.service.console;

import io.tokencast.refresher.service.store.RedisKeyspace;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ZSetOperations;

/**
 * The refresher replicas that are up: each one stamps itself into a Redis sorted set every few seconds, and
 * whoever asks sees those stamped within the window. Advisory, for the console only.
 */
final class ReplicaRoster {

    static final Duration LIVE_WITHIN = Duration.ofSeconds(15);
    private static final Duration FORGET_AFTER = Duration.ofMinutes(5);

    private final StringRedisTemplate redis;
    private final String key;
    private final String instanceId;
    private final Clock clock;

    ReplicaRoster(StringRedisTemplate redis, String keyPrefix, String instanceId, Clock clock) {
        this.redis = redis;
        this.key = new RedisKeyspace(keyPrefix).consoleReplicas();
        this.instanceId = instanceId;
        this.clock = clock;
    }

    /** Says this replica is up, and forgets replicas silent for long. */
    void stamp() {
        long now = clock.millis();
        redis.opsForZSet().add(key, instanceId, now);
        redis.opsForZSet().removeRangeByScore(key, Double.NEGATIVE_INFINITY, now - FORGET_AFTER.toMillis());
    }

    /** The replicas stamped within the window, by instance id. */
    List<ConsoleView.Replica> live() {
        long since = clock.millis() - LIVE_WITHIN.toMillis();
        Set<ZSetOperations.TypedTuple<String>> found =
                redis.opsForZSet().rangeByScoreWithScores(key, since, Double.POSITIVE_INFINITY);
        List<ConsoleView.Replica> replicas = new ArrayList<>();
        if (found != null) {
            for (ZSetOperations.TypedTuple<String> tuple : found) {
                if (tuple.getValue() != null && tuple.getScore() != null) {
                    replicas.add(new ConsoleView.Replica(
                            tuple.getValue(), tuple.getScore().longValue()));
                }
            }
        }
        replicas.sort((a, b) -> a.instanceId().compareTo(b.instanceId()));
        return replicas;
    }
}
