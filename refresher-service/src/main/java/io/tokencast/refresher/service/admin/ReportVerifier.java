package io.tokencast.refresher.service.admin;

import io.tokencast.refresher.service.store.RedisKeyspace;
import io.tokencast.refresher.store.StoredToken;
import io.tokencast.refresher.store.TokenStore;
import io.tokencast.refresher.wechat.ManagedCredential;
import io.tokencast.refresher.wechat.TokenProbe;
import io.tokencast.schema.RefreshRequested;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Decides whether an invalid-token report ({@code ifFingerprint}, no force) may cost a fetch (docs/design.md §5.7
 * "Reports"): a report of the current token is first checked with WeChat's {@link TokenProbe}, at most once per
 * (key, fingerprint) and interval across replicas, and an "alive" answer is trusted for that interval only. A
 * client bug that reports the live token every few seconds thus costs one probe per interval and no fetch.
 * Kinds with no probe (component tokens, tickets) refresh at most once per (key, fingerprint) and
 * {@value #UNPROBED_PER_HOUR} times per key and hour.
 */
final class ReportVerifier {

    private static final Logger log = LoggerFactory.getLogger(ReportVerifier.class);

    static final int UNPROBED_PER_HOUR = 3;
    private static final Duration HOUR = Duration.ofHours(1);
    private static final String ALIVE = "alive";
    private static final String DEAD = "dead";

    /** What to do with a report. */
    enum Decision {
        /** WeChat says the token works: refuse the report ({@code TOKEN_STILL_VALID}). */
        STILL_VALID,
        /** WeChat confirms it dead: a necessity, refreshed on the scheduler's budget. */
        CONFIRMED_DEAD,
        /** No verdict (probe failed, an older fingerprint): an ordinary command. */
        UNVERIFIED,
        /** A kind with no probe, reported more often than its limit allows ({@code REPORT_LIMITED}). */
        LIMITED
    }

    private final TokenStore store;
    private final TokenProbe probe;
    private final StringRedisTemplate redis;
    private final RedisKeyspace keys;
    private final Duration interval;
    private final Clock clock;

    ReportVerifier(
            TokenStore store,
            TokenProbe probe,
            StringRedisTemplate redis,
            String keyPrefix,
            Duration interval,
            Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.store = Objects.requireNonNull(store, "store");
        this.probe = Objects.requireNonNull(probe, "probe");
        this.redis = Objects.requireNonNull(redis, "redis");
        this.keys = new RedisKeyspace(keyPrefix);
        this.interval = Objects.requireNonNull(interval, "interval");
    }

    /** Whether {@code request} is a report this class decides on: a fingerprint and no force. */
    static boolean isReport(RefreshRequested request) {
        return request.ifFingerprint() != null && !request.force();
    }

    Decision decide(ManagedCredential credential, RefreshRequested request) {
        StoredToken stored = store.read(credential.key());
        String fingerprint = request.ifFingerprint();
        if (stored.token() == null || !fingerprint.equals(stored.fingerprint())) {
            // Not the current token: the refresher answers at once that a newer one exists (COALESCED).
            return Decision.UNVERIFIED;
        }
        String slot = keys.reportProbe(credential.key(), fingerprint);
        if (!TokenProbe.probes(credential)) {
            return unprobed(credential, slot);
        }
        Optional<String> known = recent(redis.opsForValue().get(slot));
        if (known.isPresent()) {
            return ALIVE.equals(known.get()) ? Decision.STILL_VALID : Decision.CONFIRMED_DEAD;
        }
        String token = stored.token().token();
        if (token == null) {
            return Decision.UNVERIFIED;
        }
        TokenProbe.Answer answer = probe.probe(credential, token);
        log.info(
                "probed reported token key={} fingerprint={} verdict={} errcode={}",
                credential.key(),
                fingerprint,
                answer.verdict(),
                answer.errcode().isPresent() ? answer.errcode().getAsInt() : "none");
        return switch (answer.verdict()) {
            case ALIVE -> {
                remember(slot, ALIVE);
                yield Decision.STILL_VALID;
            }
            case DEAD -> {
                remember(slot, DEAD);
                yield Decision.CONFIRMED_DEAD;
            }
            case UNKNOWN -> Decision.UNVERIFIED;
        };
    }

    /**
     * A verdict with the time it was given, on the injected clock; Redis's TTL only cleans up, so the interval is
     * the same whatever clock Redis keeps.
     */
    private void remember(String slot, String verdict) {
        redis.opsForValue().set(slot, verdict + ":" + clock.millis(), interval.plusSeconds(1));
    }

    /** The verdict if given less than the interval ago; anything else in the slot counts as none. */
    private Optional<String> recent(String stored) {
        if (stored == null) {
            return Optional.empty();
        }
        int colon = stored.indexOf(':');
        String verdict = colon < 0 ? "" : stored.substring(0, colon);
        if (!verdict.equals(ALIVE) && !verdict.equals(DEAD)) {
            return Optional.empty();
        }
        try {
            long at = Long.parseLong(stored.substring(colon + 1));
            long age = clock.millis() - at;
            return age >= 0 && age < interval.toMillis() ? Optional.of(verdict) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private Decision unprobed(ManagedCredential credential, String slot) {
        if (!Boolean.TRUE.equals(redis.opsForValue().setIfAbsent(slot, "reported", HOUR))) {
            return Decision.LIMITED;
        }
        String perHour = keys.reportsThisHour(credential.key());
        Long count = redis.opsForValue().increment(perHour);
        if (count != null && count == 1) {
            redis.expire(perHour, HOUR);
        }
        return count != null && count > UNPROBED_PER_HOUR ? Decision.LIMITED : Decision.UNVERIFIED;
    }

    Duration interval() {
        return interval;
    }
}
