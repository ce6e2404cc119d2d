package io.tokencast.refresher.service.openplatform;

import io.tokencast.refresher.service.store.RedisKeyspace;
import io.tokencast.refresher.signing.SignedEvent;
import io.tokencast.schema.CredentialStored;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The credential vault's Redis layout and the Lua scripts that keep it whole: per credential the hash
 * {@code <prefix>credential:<credentialKey>} ({@code json}, {@code receivedAt} in epoch milliseconds), the index
 * set {@code <prefix>credential-keys}, the version counter {@code <prefix>credential-version:<credentialKey>} and
 * the marker {@code <prefix>credential-restored}. Apart from {@link RedisCredentialVault} so that what the vault
 * decides (sign, seal, verify, restore from the topic) reads without the scripts' argument positions. Every
 * Redis failure becomes a {@link CredentialVaultException} naming what could not be done.
 */
final class CredentialHashes {

    // ARGV[3] = 1 for a restore: an equal receivedAt is the same credential, nothing to put back. ARGV[6] is the
    // latest believable receivedAt: a stored one past it (forged into Redis) counts as absent. ARGV[7], when not
    // empty, is the hash's JSON as this reader read and rejected it: while the hash holds exactly that, it counts
    // as absent too.
    private static final RedisScript<Long> NEWER_WINS = RedisScript.of(
            """
            if tonumber(ARGV[5]) > tonumber(redis.call('GET', KEYS[3]) or '0') then
              redis.call('SET', KEYS[3], ARGV[5])
            end
            local current = tonumber(redis.call('HGET', KEYS[1], 'receivedAt') or '-1') or -1
            if current > tonumber(ARGV[6]) then current = -1 end
            if ARGV[7] ~= '' and redis.call('HGET', KEYS[1], 'json') == ARGV[7] then current = -1 end
            local incoming = tonumber(ARGV[2])
            if current > incoming or (ARGV[3] == '1' and current == incoming) then
              redis.call('SADD', KEYS[2], ARGV[4])
              return 0
            end
            redis.call('HSET', KEYS[1], 'json', ARGV[1], 'receivedAt', ARGV[2])
            redis.call('SADD', KEYS[2], ARGV[4])
            return 1
            """,
            Long.class);

    private static final RedisScript<Long> IF_ABSENT = RedisScript.of(
            """
            redis.call('SADD', KEYS[2], ARGV[3])
            if tonumber(ARGV[4]) > tonumber(redis.call('GET', KEYS[3]) or '0') then
              redis.call('SET', KEYS[3], ARGV[4])
            end
            if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
            redis.call('HSET', KEYS[1], 'json', ARGV[1], 'receivedAt', ARGV[2])
            return 1
            """,
            Long.class);

    private static final RedisScript<Long> REMOVE = RedisScript.of(
            """
            redis.call('SREM', KEYS[2], ARGV[1])
            return redis.call('DEL', KEYS[1])
            """,
            Long.class);

    private final StringRedisTemplate redis;
    private final RedisKeyspace keys;

    CredentialHashes(StringRedisTemplate redis, String prefix) {
        this.redis = redis;
        this.keys = new RedisKeyspace(prefix);
    }

    /** The JSON held for the credential, as Redis holds it; null when there is none. */
    Object json(String credentialKey) {
        return redisCall(() -> redis.opsForHash().get(keys.credential(credentialKey), "json"), "read " + credentialKey);
    }

    /** The next value of the credential's version counter (1 when Redis answers nothing). */
    long nextVersion(String credentialKey) {
        Long version = redisCall(
                () -> redis.opsForValue().increment(keys.credentialVersion(credentialKey)), "number " + credentialKey);
        return version == null ? 1 : version;
    }

    /**
     * Writes {@code signed} unless the hash holds a credential received later; a {@code restore} also leaves an
     * equally recent one. A held credential received after {@code latestReceivedMillis}, or whose JSON is
     * {@code untrusted} (empty: none), counts as absent. Returns whether it was written.
     */
    boolean writeIfNewer(
            SignedEvent<CredentialStored> signed, boolean restore, long latestReceivedMillis, String untrusted) {
        CredentialStored credential = signed.event();
        String credentialKey = credential.credentialKey();
        Long result = redisCall(
                () -> redis.execute(
                        NEWER_WINS,
                        keysOf(credentialKey),
                        signed.jsonString(),
                        receivedAt(credential),
                        restore ? "1" : "0",
                        credentialKey,
                        version(credential),
                        Long.toString(latestReceivedMillis),
                        untrusted),
                "write " + credentialKey);
        return result != null && result == 1L;
    }

    /** Writes {@code signed} only when the hash does not exist; returns whether it was written. */
    boolean writeIfAbsent(SignedEvent<CredentialStored> signed) {
        CredentialStored credential = signed.event();
        String credentialKey = credential.credentialKey();
        Long result = redisCall(
                () -> redis.execute(
                        IF_ABSENT,
                        keysOf(credentialKey),
                        signed.jsonString(),
                        receivedAt(credential),
                        credentialKey,
                        version(credential)),
                "write " + credentialKey);
        return result != null && result == 1L;
    }

    /** Deletes the hash and its index entry; returns whether a hash was there. */
    boolean remove(String credentialKey) {
        Long deleted = redisCall(
                () -> redis.execute(
                        REMOVE, List.of(keys.credential(credentialKey), keys.credentialKeys()), credentialKey),
                "remove " + credentialKey);
        return deleted != null && deleted > 0;
    }

    /** The credential keys in the index; null when Redis answers nothing. */
    Set<String> indexed() {
        return redisCall(() -> redis.opsForSet().members(keys.credentialKeys()), "list the credential keys");
    }

    /** Whether Redis still reflects the credentials topic (the marker is gone when Redis lost its data). */
    boolean isRestored() {
        return Boolean.TRUE.equals(redisCall(() -> redis.hasKey(keys.credentialRestored()), "read the restore marker"));
    }

    /** Marks Redis as restored from the topic by {@code instanceId}. */
    void markRestored(String instanceId) {
        redisCall(
                () -> {
                    redis.opsForValue().set(keys.credentialRestored(), instanceId);
                    return null;
                },
                "mark the vault restored");
    }

    private List<String> keysOf(String credentialKey) {
        return List.of(keys.credential(credentialKey), keys.credentialKeys(), keys.credentialVersion(credentialKey));
    }

    private static String receivedAt(CredentialStored credential) {
        return Long.toString(credential.receivedAt().toEpochMilli());
    }

    private static String version(CredentialStored credential) {
        return Long.toString(credential.version() == null ? 0 : credential.version());
    }

    private <T> T redisCall(Supplier<T> call, String what) {
        try {
            return call.get();
        } catch (DataAccessException e) {
            // Class names only: a script error could quote its arguments, and those hold the credential.
            throw new CredentialVaultException(
                    "redis could not " + what + ": " + e.getClass().getName() + " <- "
                            + e.getMostSpecificCause().getClass().getName(),
                    null);
        }
    }
}
