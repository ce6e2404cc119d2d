package io.tokencast.refresher.service.openplatform;

import io.tokencast.refresher.service.store.RedisKeyspace;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * WeCom's ticket limits, counted in Redis so every replica shares them: at most {@code perCorp} ticket fetches per
 * corp and clock hour, and {@code perApp} made with one app's token (docs/wechat-api.md §6.2). Keys:
 * {@code <prefix>ticket-hour:corp:<corpid>:<hour>} and {@code <prefix>ticket-hour:app:<corpid.agentid>:<hour>},
 * hours counted since the epoch (Asia/Shanghai is a whole number of hours off UTC, so the hours agree).
 */
final class TicketHourlyLimits {

    /**
     * Counts one fetch against both limits, or neither: returns 0 when counted, 1 when the corp's hour is spent,
     * 2 when the app's is. The TTL outlives the hour it counts.
     */
    private static final RedisScript<Long> ACQUIRE = RedisScript.of(
            """
            local corp = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
            local app = tonumber(redis.call('GET', KEYS[2]) or '0') or 0
            if corp >= tonumber(ARGV[1]) then
              return 1
            end
            if app >= tonumber(ARGV[2]) then
              return 2
            end
            redis.call('SET', KEYS[1], corp + 1, 'EX', 7200)
            redis.call('SET', KEYS[2], app + 1, 'EX', 7200)
            return 0
            """,
            Long.class);

    private final StringRedisTemplate redis;
    private final RedisKeyspace keys;
    private final int perCorp;
    private final int perApp;
    private final Clock clock;

    TicketHourlyLimits(StringRedisTemplate redis, String prefix, int perCorp, int perApp, Clock clock) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.keys = new RedisKeyspace(prefix);
        this.perCorp = perCorp;
        this.perApp = perApp;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Counts a fetch made with the token of {@code app} ({@code corpid.agentid}); empty when counted, else which
     * limit is spent, in words.
     */
    Optional<String> tryAcquire(String app) {
        String corpid = app.substring(0, app.indexOf('.'));
        long hour = clock.instant().getEpochSecond() / 3600;
        Long answer = redis.execute(
                ACQUIRE,
                List.of(keys.corpTicketsInHour(corpid, hour), keys.appTicketsInHour(app, hour)),
                Integer.toString(perCorp),
                Integer.toString(perApp));
        if (answer != null && answer == 0) {
            return Optional.empty();
        }
        return Optional.of(
                answer != null && answer == 2
                        ? "this hour's " + perApp + " ticket fetches with the token of " + app + " are spent"
                        : "this hour's " + perCorp + " ticket fetches of corp " + corpid + " are spent");
    }
}
