package io.tokencast.refresher.policy;

import io.tokencast.refresher.wechat.WeChatApi;
import io.tokencast.refresher.wechat.WeChatException;
import io.tokencast.schema.TokenKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Objects;

/**
 * tokencast's refresh rules, with no clock or framework inside: classic and WeCom tokens at about 75 % of
 * their life, stable tokens early in their last 300 s, transient failures with capped exponential backoff.
 * Every jitter is derived from the key, so the same key always gets the same offset and a fleet of
 * thousands of apps started together spreads out instead of stampeding.
 */
public final class StandardRefreshPolicy implements RefreshPolicy {

    /** Classic/WeCom: refresh between 72.5 % and 77.5 % of the life ("about 75 %"). */
    static final double CLASSIC_EARLIEST = 0.725;

    /** Spread of the classic jitter; bounded at 5 % of the life. */
    static final double CLASSIC_SPREAD = 0.05;

    /** Classic/WeCom: never later than this before expiry (scaled down to 25 % for short lives). */
    static final Duration CLASSIC_MARGIN = Duration.ofMinutes(10);

    /** WeChat rotates a stable token only in its last 300 s of a 7200 s life (docs/wechat-api.md §2.2). */
    static final Duration STABLE_WINDOW = Duration.ofSeconds(300);

    static final Duration STANDARD_LIFE = Duration.ofSeconds(7200);

    /**
     * Where in the stable window to fetch, as fractions of the window: never in its first 1/60 (5 s of
     * 300), where rounding of {@code expires_in} could still put us outside WeChat's window, and no later
     * than 40 % (120 s of 300), leaving the rest for retries.
     */
    static final double STABLE_EARLIEST = 1.0 / 60;

    static final double STABLE_LATEST = 0.4;

    /** A retry while the token is valid lands at least this long before its expiry. */
    static final Duration RETRY_EXPIRY_MARGIN = Duration.ofSeconds(30);

    /** WeChat's daily quotas reset with the calendar day in China. */
    static final ZoneId WECHAT_ZONE = ZoneId.of("Asia/Shanghai");

    private final Duration retryInitial;
    private final Duration retryMax;
    private final Duration permanentFailureDelay;

    /**
     * @param retryInitial backoff after the first transient failure
     * @param retryMax longest backoff
     * @param permanentFailureDelay rest after an error retrying cannot fix
     */
    public StandardRefreshPolicy(Duration retryInitial, Duration retryMax, Duration permanentFailureDelay) {
        this.retryInitial = positive(retryInitial, "retryInitial");
        this.retryMax = positive(retryMax, "retryMax");
        this.permanentFailureDelay = positive(permanentFailureDelay, "permanentFailureDelay");
        if (retryMax.compareTo(retryInitial) < 0) {
            throw new IllegalArgumentException(
                    "retryMax " + retryMax + " is shorter than retryInitial " + retryInitial);
        }
    }

    @Override
    public Instant nextRefreshAt(TokenKey key, WeChatApi api, Instant issuedAt, Instant expiresAt) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(api, "api");
        long lifeMs = Duration.between(issuedAt, expiresAt).toMillis();
        if (lifeMs <= 0) {
            return issuedAt;
        }
        double u = unit(key.asString(), 0);
        return switch (api) {
                // Component and authorizer tokens behave like classic ones: new per call, the old one lives 300 s.
            case CLASSIC, WECOM, COMPONENT, AUTHORIZER -> classic(issuedAt, expiresAt, lifeMs, u);
                // Tickets, like stable tokens, come back unchanged until their end; asking earlier only repeats them.
            case STABLE, JSAPI_TICKET, CARD_TICKET, WECOM_JSAPI_TICKET, WECOM_AGENT_TICKET -> stable(
                    expiresAt, lifeMs, u);
        };
    }

    /** A new classic token makes the old one die 300 s later, so any time before expiry is safe: go early. */
    private static Instant classic(Instant issuedAt, Instant expiresAt, long lifeMs, double u) {
        Instant target = issuedAt.plusMillis(Math.round(lifeMs * (CLASSIC_EARLIEST + CLASSIC_SPREAD * u)));
        long marginMs = Math.min(CLASSIC_MARGIN.toMillis(), lifeMs / 4);
        Instant latest = expiresAt.minusMillis(marginMs);
        return target.isAfter(latest) ? latest : target;
    }

    /**
     * Normal mode before the window only returns the same token, so fetch inside it. A short-lived token
     * (a demo's 180 s) gets a proportionally short window, which stays inside WeChat's.
     */
    private static Instant stable(Instant expiresAt, long lifeMs, double u) {
        long windowMs =
                Math.min(STABLE_WINDOW.toMillis(), lifeMs * STABLE_WINDOW.toMillis() / STANDARD_LIFE.toMillis());
        long offsetMs = Math.round(windowMs * (STABLE_EARLIEST + (STABLE_LATEST - STABLE_EARLIEST) * u));
        return expiresAt.minusMillis(windowMs).plusMillis(offsetMs);
    }

    @Override
    public Instant retryAt(TokenKey key, int failures, WeChatException error, Instant now, Instant currentExpiresAt) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(now, "now");
        if (failures < 1) {
            throw new IllegalArgumentException("failures counts from 1, was " + failures);
        }
        return switch (error.retry()) {
            case STOP -> now.plus(permanentFailureDelay);
            case QUOTA -> earliest(nextWeChatDay(now), now.plus(permanentFailureDelay));
            case BACKOFF -> backoff(key, failures, now, currentExpiresAt);
        };
    }

    /**
     * A spent quota comes back with the next WeChat day at the latest; sooner when an operator calls
     * {@code clear_quota} or another system stops spending it, so the key also looks again after its rest.
     */
    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /** Start of the next calendar day in Asia/Shanghai, when WeChat resets its daily quotas. */
    static Instant nextWeChatDay(Instant now) {
        return LocalDate.ofInstant(now, WECHAT_ZONE)
                .plusDays(1)
                .atStartOfDay(WECHAT_ZONE)
                .toInstant();
    }

    private Instant backoff(TokenKey key, int failures, Instant now, Instant currentExpiresAt) {
        long ceiling = retryMax.toMillis();
        long exponential = retryInitial.toMillis() << Math.min(failures - 1, 30);
        long capped = exponential <= 0 ? ceiling : Math.min(exponential, ceiling);
        // "Equal jitter": half fixed, half spread, so retries of many keys failing together fan out.
        long delay = Math.round(capped * (0.5 + 0.5 * unit(key.asString(), failures)));
        Instant retry = now.plusMillis(delay);
        if (currentExpiresAt != null && now.isBefore(currentExpiresAt)) {
            Instant latest = currentExpiresAt.minus(RETRY_EXPIRY_MARGIN);
            Instant earliest = now.plusMillis(Math.min(delay, retryInitial.toMillis()));
            if (retry.isAfter(latest)) {
                retry = latest.isAfter(earliest) ? latest : earliest;
            }
        }
        return retry;
    }

    /** A number in [0, 1) that depends only on the text and salt: FNV-1a, then a SplitMix64 finaliser. */
    static double unit(String text, long salt) {
        long h = 0xcbf29ce484222325L ^ salt;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 30;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 27;
        h *= 0x94d049bb133111ebL;
        h ^= h >>> 31;
        return (h >>> 11) * 0x1.0p-53;
    }

    private static Duration positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
        return d;
    }
}
