package io.tokencast.refresher.service.admin;

import io.tokencast.refresher.quota.QuotaGuard;
import io.tokencast.refresher.refresh.Admission;
import io.tokencast.refresher.service.store.RedisKeyspace;
import io.tokencast.refresher.wechat.FetchMode;
import io.tokencast.refresher.wechat.ManagedCredential;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * What a command must respect before it may call WeChat: the day's quota (refused before it is spent, so a
 * spent force budget never pushes the key's scheduled refreshes to the next day), the share of it kept for the
 * scheduler ({@link QuotaReserve}, refused as {@code QUOTA_RESERVED}) and at most one command-caused
 * fetch per key and interval, counted in Redis across replicas on the injected clock. Asked by the refresher
 * under the key's lock, so check-then-record cannot race for one key.
 */
final class ManualFetchLimits implements Admission {

    static final String QUOTA_EXHAUSTED = "QUOTA_EXHAUSTED";
    static final String RATE_LIMITED = "RATE_LIMITED";
    static final String QUOTA_RESERVED = "QUOTA_RESERVED";

    /**
     * Takes the key's slot unless the last command-caused fetch is younger than the interval; returns -1 when
     * taken, else the milliseconds still to wait. The TTL only cleans up: the decision uses the clock passed in.
     */
    private static final RedisScript<Long> TAKE_SLOT = RedisScript.of(
            """
            local last = redis.call('GET', KEYS[1])
            local now = tonumber(ARGV[1])
            local interval = tonumber(ARGV[2])
            if last and now - tonumber(last) < interval then
              return interval - (now - tonumber(last))
            end
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            return -1
            """,
            Long.class);

    private final StringRedisTemplate redis;
    private final RedisKeyspace keys;
    private final Duration minInterval;
    private final QuotaGuard quota;
    private final Clock clock;
    private final QuotaReserve reserve;

    ManualFetchLimits(
            StringRedisTemplate redis,
            String keyPrefix,
            Duration minInterval,
            QuotaGuard quota,
            QuotaReserve reserve,
            Clock clock) {
        this.reserve = Objects.requireNonNull(reserve, "reserve");
        this.redis = Objects.requireNonNull(redis, "redis");
        this.keys = new RedisKeyspace(keyPrefix);
        this.minInterval = Objects.requireNonNull(minInterval, "minInterval");
        this.quota = Objects.requireNonNull(quota, "quota");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Optional<Refusal> check(ManagedCredential credential, FetchMode mode) {
        return check(credential, mode, true);
    }

    /**
     * These limits for a necessity, a report WeChat confirmed dead: it runs on the scheduler's budget, so the
     * reserve does not apply (docs/design.md §5.7); the day's quota and the per-key interval still do.
     */
    Admission necessity() {
        return (credential, mode) -> check(credential, mode, false);
    }

    private Optional<Refusal> check(ManagedCredential credential, FetchMode mode, boolean reserved) {
        long limit = quota.dailyLimit(credential, mode);
        long used = quota.usedToday(credential, mode);
        if (used >= limit) {
            return Optional.of(new Refusal(
                    QUOTA_EXHAUSTED,
                    "today's " + mode + " fetch budget of " + credential.key() + " (" + limit
                            + ") is spent; it renews at midnight Asia/Shanghai"));
        }
        long allowance = reserve.commandAllowance(mode, limit);
        if (reserved && used >= allowance) {
            return Optional.of(new Refusal(
                    QUOTA_RESERVED,
                    "commands may use " + allowance + " of the " + limit + " " + mode + " fetches of "
                            + credential.key() + " a day and " + used + " are used; the rest is kept for scheduled"
                            + " refreshes. It renews at midnight Asia/Shanghai"));
        }
        Long wait = redis.execute(
                TAKE_SLOT,
                List.of(keys.lastCommandFetch(credential.key())),
                Long.toString(clock.millis()),
                Long.toString(minInterval.toMillis()));
        if (wait != null && wait >= 0) {
            return Optional.of(new Refusal(
                    RATE_LIMITED,
                    "at most one requested refresh of " + credential.key() + " every " + minInterval.toSeconds()
                            + " s; ask again in " + (wait + 999) / 1000 + " s"));
        }
        return Optional.empty();
    }
}
