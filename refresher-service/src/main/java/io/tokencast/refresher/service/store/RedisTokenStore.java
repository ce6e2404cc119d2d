package io.tokencast.refresher.service.store;

import io.tokencast.refresher.signing.RecordRejectedException;
import io.tokencast.refresher.signing.RecordSigning;
import io.tokencast.refresher.signing.RecordSource;
import io.tokencast.refresher.signing.SignedEvent;
import io.tokencast.refresher.store.RetryState;
import io.tokencast.refresher.store.StoredToken;
import io.tokencast.refresher.store.TokenStore;
import io.tokencast.schema.EventDecodingException;
import io.tokencast.schema.LogText;
import io.tokencast.schema.Ranges;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * {@link TokenStore} on Redis. Per key: the hash {@code <prefix>token:<key>} ({@code json}, {@code version})
 * expiring a safety margin before the token does, the highest version ever written in
 * {@code <prefix>token-version:<key>} (no expiry, so versions keep growing after a token expired in
 * Redis), and the retry state in the hash {@code <prefix>retry:<key>}.
 */
public final class RedisTokenStore implements TokenStore {

    private static final Logger log = LoggerFactory.getLogger(RedisTokenStore.class);

    private static final Duration MIN_TTL = Duration.ofSeconds(1);

    private final StringRedisTemplate redis;
    private final RedisKeyspace keys;
    private final Clock clock;
    private final RecordSigning signing;

    /** The store under {@code prefix}, signing and verifying every version with {@code signing}. */
    public RedisTokenStore(StringRedisTemplate redis, String prefix, Clock clock, RecordSigning signing) {
        this.redis = redis;
        this.keys = new RedisKeyspace(prefix);
        this.clock = clock;
        this.signing = signing;
    }

    @Override
    public StoredToken read(TokenKey key) {
        return readAll(List.of(key)).get(key);
    }

    @Override
    public Map<TokenKey, StoredToken> readAll(Collection<TokenKey> keys) {
        List<TokenKey> ordered = new ArrayList<>(keys);
        List<Object> replies = redis.executePipelined((RedisCallback<Object>) connection -> {
            for (TokenKey key : ordered) {
                connection.hashCommands().hMGet(bytes(tokenKey(key)), bytes("json"), bytes("version"));
                connection.stringCommands().get(bytes(versionKey(key)));
                connection.hashCommands().hGetAll(bytes(retryKey(key)));
            }
            return null;
        });
        Map<TokenKey, StoredToken> result = new LinkedHashMap<>();
        for (int i = 0; i < ordered.size(); i++) {
            TokenKey key = ordered.get(i);
            @SuppressWarnings("unchecked")
            List<String> hash = (List<String>) replies.get(3 * i);
            String floor = (String) replies.get(3 * i + 1);
            @SuppressWarnings("unchecked")
            Map<String, String> retry = (Map<String, String>) replies.get(3 * i + 2);
            result.put(key, toStored(key, hash, floor, retry));
        }
        return result;
    }

    private StoredToken toStored(TokenKey key, List<String> hash, String floor, Map<String, String> retry) {
        String json = hash == null ? null : hash.get(0);
        RecordSigning.Checked<TokenRefreshed> checked = decode(key, json);
        TokenRefreshed token = checked == null ? null : checked.event();
        long hashVersion = token == null ? 0 : token.version();
        long version = Math.max(hashVersion, floorOf(key, floor));
        return new StoredToken(
                key,
                token,
                version,
                toRetry(key, retry),
                json != null && token == null,
                checked == null ? null : checked.signedBy());
    }

    /**
     * The version floor as written, even past 2^53-1 (the refresher then refuses to write, see
     * {@code VERSION_EXHAUSTED}); a value that is no number at all counts as none, and the hash and the topic
     * decide.
     */
    private static long floorOf(TokenKey key, String floor) {
        if (floor == null) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(floor));
        } catch (NumberFormatException e) {
            log.warn(
                    "unreadable version floor in redis key={} value=\"{}\" action=ignored", key, LogText.of(floor, 40));
            return 0;
        }
    }

    /** The verified, decoded token; null when there is none or it is not to be trusted (logged, and counted). */
    private RecordSigning.Checked<TokenRefreshed> decode(TokenKey key, String json) {
        if (json == null) {
            return null;
        }
        try {
            RecordSigning.Checked<TokenRefreshed> checked =
                    signing.check(json, key.asString(), TokenRefreshed.class, RecordSource.REDIS_TOKENS);
            TokenRefreshed token = checked.event();
            if (!token.tokenKey().equals(key)) {
                // Verification compares the keys; with signing off this is the only check.
                log.warn("token in redis under another key key={} recordKey={}", key, token.tokenKey());
                return null;
            }
            return checked;
        } catch (RecordRejectedException e) {
            return null;
        } catch (EventDecodingException e) {
            // The message names the field, never the value: safe to log.
            log.warn("unreadable token in redis key={} problem={} cause={}", key, e.problem(), e.getMessage());
            return null;
        }
    }

    /** The retry state, or none when Redis holds something this refresher never wrote (logged, then ignored). */
    private static RetryState toRetry(TokenKey key, Map<String, String> hash) {
        if (hash == null || hash.isEmpty()) {
            return null;
        }
        try {
            Instant notBefore = Instant.ofEpochMilli(Long.parseLong(hash.getOrDefault("notBefore", "0")));
            if (!Ranges.isInWindow(notBefore)) {
                throw new IllegalArgumentException("notBefore outside " + Ranges.EARLIEST + ".." + Ranges.LATEST);
            }
            return new RetryState(
                    Integer.parseInt(hash.getOrDefault("failures", "0")),
                    notBefore,
                    LogText.of(hash.getOrDefault("errorCode", "UNKNOWN"), 64),
                    "1".equals(hash.get("stopped")));
        } catch (IllegalArgumentException e) {
            log.warn(
                    "unreadable retry state in redis key={} problem=\"{}\" action=ignored",
                    key,
                    LogText.of(e.getMessage(), 120));
            return null;
        }
    }

    @Override
    public boolean compareAndSet(SignedEvent<TokenRefreshed> signed, long expectedVersion) {
        TokenRefreshed next = signed.event();
        if (next.version() != expectedVersion + 1) {
            throw new IllegalArgumentException("version " + next.version() + " of " + next.tokenKey()
                    + " does not follow the expected " + expectedVersion);
        }
        Duration ttl = ttl(next);
        Long stored = redis.execute(
                TokenScripts.COMPARE_AND_SET,
                List.of(tokenKey(next.tokenKey()), versionKey(next.tokenKey())),
                Long.toString(expectedVersion),
                Long.toString(next.version()),
                signed.jsonString(),
                Long.toString(Math.max(ttl.toMillis(), MIN_TTL.toMillis())));
        return stored != null && stored == 1L;
    }

    @Override
    public boolean restore(SignedEvent<TokenRefreshed> signed) {
        TokenRefreshed fromTopic = signed.event();
        Object present = redis.opsForHash().get(tokenKey(fromTopic.tokenKey()), "json");
        String untrusted =
                present != null && decode(fromTopic.tokenKey(), present.toString()) == null ? present.toString() : "";
        Long taken = redis.execute(
                TokenScripts.RESTORE,
                List.of(tokenKey(fromTopic.tokenKey()), versionKey(fromTopic.tokenKey())),
                Long.toString(fromTopic.version()),
                signed.jsonString(),
                Long.toString(ttl(fromTopic).toMillis()),
                untrusted);
        return taken != null && taken == 1L;
    }

    /**
     * Redis forgets a token a safety margin before it expires, so nobody reads a token about to die. Capped at
     * the longest token life: the codec keeps instants in range, and the cap keeps the millis sent to Redis
     * small whatever the clock says.
     */
    private Duration ttl(TokenRefreshed token) {
        Duration margin = TokenStore.safetyMargin(Duration.between(token.issuedAt(), token.expiresAt()));
        Duration ttl = Duration.between(clock.instant(), token.expiresAt()).minus(margin);
        return ttl.compareTo(Ranges.MAX_TOKEN_LIFE) > 0 ? Ranges.MAX_TOKEN_LIFE : ttl;
    }

    @Override
    public void remove(TokenKey key, long retiredVersion) {
        redis.execute(
                TokenScripts.REMOVE,
                List.of(tokenKey(key), retryKey(key), versionKey(key)),
                Long.toString(retiredVersion));
    }

    @Override
    public void saveRetry(TokenKey key, RetryState retry) {
        redis.opsForHash()
                .putAll(
                        retryKey(key),
                        Map.of(
                                "failures", Integer.toString(retry.failures()),
                                "notBefore", Long.toString(retry.notBefore().toEpochMilli()),
                                "errorCode", retry.errorCode(),
                                "stopped", retry.stopped() ? "1" : "0"));
    }

    @Override
    public void clearRetry(TokenKey key) {
        redis.delete(retryKey(key));
    }

    @Override
    public boolean isRecovered() {
        return Boolean.TRUE.equals(redis.hasKey(keys.recovered()));
    }

    @Override
    public void markRecovered(String by) {
        redis.opsForValue().set(keys.recovered(), "by=" + by + " at=" + clock.instant());
    }

    private String tokenKey(TokenKey key) {
        return keys.token(key);
    }

    private String versionKey(TokenKey key) {
        return keys.tokenVersion(key);
    }

    private String retryKey(TokenKey key) {
        return keys.retry(key);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
