package io.tokencast.refresher.service.quota;

import io.tokencast.refresher.quota.QuotaGuard;
import io.tokencast.refresher.service.config.TokencastProperties;
import io.tokencast.refresher.service.store.RedisKeyspace;
import io.tokencast.refresher.wechat.FetchMode;
import io.tokencast.refresher.wechat.ManagedCredential;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Counts fetches in Redis, one counter per credential, bucket and WeChat day, so every replica shares the
 * budget. Key: {@code <prefix>quota:<tokenKey>:<bucket>:<yyyy-MM-dd>} (Asia/Shanghai).
 */
public final class RedisQuotaGuard implements QuotaGuard {

    /** WeChat's daily quotas follow the calendar day in China (docs/wechat-api.md §1.3). */
    static final ZoneId WECHAT_ZONE = ZoneId.of("Asia/Shanghai");

    /** Long enough to outlive the day it counts in any zone, short enough that old days vanish. */
    static final long KEY_TTL_SECONDS = 48 * 3600;

    /**
     * Check and count in one step, so two replicas racing for the last unit cannot both get it. Returns the
     * new count, or -1 when the budget is spent. The TTL is set when missing, covering a key created by
     * anything but this script; a counter that is no number (written by something else) starts again at 0.
     */
    private static final RedisScript<Long> ACQUIRE = RedisScript.of(
            """
            local used = tonumber(redis.call('GET', KEYS[1]) or '0')
            if used == nil then
              redis.call('SET', KEYS[1], '0')
              used = 0
            end
            if used >= tonumber(ARGV[1]) then
              return -1
            end
            used = redis.call('INCR', KEYS[1])
            if redis.call('TTL', KEYS[1]) < 0 then
              redis.call('EXPIRE', KEYS[1], ARGV[2])
            end
            return used
            """,
            Long.class);

    private final StringRedisTemplate redis;
    private final RedisKeyspace keys;
    private final TokencastProperties.Quota limits;
    private final Clock clock;

    /** The budgets {@code limits}, counted under {@code keyPrefix}. */
    public RedisQuotaGuard(StringRedisTemplate redis, String keyPrefix, TokencastProperties.Quota limits, Clock clock) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.keys = new RedisKeyspace(keyPrefix);
        this.limits = Objects.requireNonNull(limits, "limits");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public boolean tryAcquire(ManagedCredential credential, FetchMode mode) {
        Long used = redis.execute(
                ACQUIRE,
                List.of(key(credential, mode)),
                Long.toString(dailyLimit(credential, mode)),
                Long.toString(KEY_TTL_SECONDS));
        return used != null && used >= 0;
    }

    @Override
    public long usedToday(ManagedCredential credential, FetchMode mode) {
        String value = redis.opsForValue().get(key(credential, mode));
        if (value == null) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(value));
        } catch (NumberFormatException e) {
            // Written by something else; the counting script resets it on the next fetch.
            return 0;
        }
    }

    @Override
    public long dailyLimit(ManagedCredential credential, FetchMode mode) {
        return switch (Bucket.of(credential, mode)) {
            case CLASSIC -> limits.classicDaily();
            case STABLE -> limits.stableDaily();
            case STABLE_FORCE -> limits.stableForceDaily();
            case WECOM -> limits.wecomDaily();
        };
    }

    String key(ManagedCredential credential, FetchMode mode) {
        LocalDate day = LocalDate.ofInstant(clock.instant(), WECHAT_ZONE);
        return keys.quota(credential.key(), Bucket.of(credential, mode).id, day.toString());
    }

    /** The WeChat budget a fetch draws on. */
    enum Bucket {
        CLASSIC("classic"),
        STABLE("stable"),
        STABLE_FORCE("stable-force"),
        WECOM("wecom");

        final String id;

        Bucket(String id) {
            this.id = id;
        }

        /**
         * Force mode only exists for stable tokens; classic and WeCom calls are all alike. Open platform and
         * ticket calls draw on the classic budget: WeChat documents no daily number for them (docs/wechat-api.md
         * §10); WeCom's hourly ticket limits are counted where tickets are fetched.
         */
        static Bucket of(ManagedCredential credential, FetchMode mode) {
            return switch (credential.api()) {
                case CLASSIC,
                        COMPONENT,
                        AUTHORIZER,
                        JSAPI_TICKET,
                        CARD_TICKET,
                        WECOM_JSAPI_TICKET,
                        WECOM_AGENT_TICKET -> CLASSIC;
                case STABLE -> mode == FetchMode.FORCE ? STABLE_FORCE : STABLE;
                case WECOM -> WECOM;
            };
        }
    }
}
