package io.tokencast.refresher.service.leader;

import io.tokencast.refresher.leader.Leadership;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import net.javacrumbs.shedlock.core.ClockProvider;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * {@link Leadership} on a ShedLock lock that the leader extends every tick, so leadership sticks to one
 * replica instead of moving with every tick. The leader's instance id is written next to the lock for
 * everyone's health page (ShedLock's own lock value names only the host).
 */
final class ShedLockLeadership implements Leadership {

    private static final Logger log = LoggerFactory.getLogger(ShedLockLeadership.class);
    static final String LOCK_NAME = "leader";

    private static final RedisScript<Long> DELETE_IF_MINE = RedisScript.of(
            "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end",
            Long.class);

    private final LockProvider locks;
    private final StringRedisTemplate redis;
    private final String leaderKey;
    private final String instanceId;
    private final Duration lockAtMostFor;
    private SimpleLock held; // guarded by this
    private volatile boolean leader;

    ShedLockLeadership(
            LockProvider locks,
            StringRedisTemplate redis,
            String leaderKey,
            String instanceId,
            Duration lockAtMostFor) {
        this.locks = locks;
        this.redis = redis;
        this.leaderKey = leaderKey;
        this.instanceId = instanceId;
        this.lockAtMostFor = lockAtMostFor;
    }

    @Override
    public synchronized Status renew() {
        if (held != null) {
            Optional<SimpleLock> extended = extend(held);
            if (extended.isPresent()) {
                held = extended.get();
                announce();
                return Status.HELD;
            }
            held = null;
            leader = false;
            log.info("leadership lost instance={} reason=lock-not-extended", instanceId);
        }
        // Lock times are wall time on purpose: Redis expires the lock in real time, whatever clock plans.
        Optional<SimpleLock> taken =
                locks.lock(new LockConfiguration(ClockProvider.now(), LOCK_NAME, lockAtMostFor, Duration.ZERO));
        if (taken.isEmpty()) {
            return Status.FOLLOWER;
        }
        held = taken.get();
        leader = true;
        announce();
        log.info("leadership acquired instance={} lockAtMostFor={}", instanceId, lockAtMostFor);
        return Status.ACQUIRED;
    }

    private Optional<SimpleLock> extend(SimpleLock lock) {
        try {
            return lock.extend(lockAtMostFor, Duration.ZERO);
        } catch (RuntimeException e) {
            log.warn("leader lock could not be extended instance={} error={}", instanceId, e.toString());
            return Optional.empty();
        }
    }

    private void announce() {
        redis.opsForValue().set(leaderKey, instanceId, lockAtMostFor);
    }

    @Override
    public boolean isLeader() {
        return leader;
    }

    @Override
    public Optional<String> leaderId() {
        return Optional.ofNullable(redis.opsForValue().get(leaderKey));
    }

    @Override
    public synchronized void release() {
        if (held == null) {
            return;
        }
        try {
            held.unlock();
            redis.execute(DELETE_IF_MINE, List.of(leaderKey), instanceId);
            log.info("leadership released instance={}", instanceId);
        } catch (RuntimeException e) {
            log.warn(
                    "leader lock could not be released instance={} error={}; it expires within {}",
                    instanceId,
                    e.toString(),
                    lockAtMostFor);
        } finally {
            held = null;
            leader = false;
        }
    }
}
