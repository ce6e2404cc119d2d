package io.tokencast.refresher.service.store;

import org.springframework.data.redis.core.script.RedisScript;

/** The Lua scripts that make each write of {@link RedisTokenStore} one atomic step in Redis. */
final class TokenScripts {

    // The version that counts is the higher of the hash's and the version key's; both are written together.
    // Whatever else wrote them, a value that is no number reads as 0 instead of failing the script.
    static final RedisScript<Long> COMPARE_AND_SET = RedisScript.of(
            """
            local current = tonumber(redis.call('GET', KEYS[2]) or '0') or 0
            local inHash = tonumber(redis.call('HGET', KEYS[1], 'version') or '0') or 0
            if inHash > current then current = inHash end
            if current ~= tonumber(ARGV[1]) then return 0 end
            redis.call('HSET', KEYS[1], 'json', ARGV[3], 'version', ARGV[2])
            redis.call('PEXPIRE', KEYS[1], ARGV[4])
            redis.call('SET', KEYS[2], ARGV[2])
            return 1
            """,
            Long.class);

    // Takes a topic version only if Redis holds nothing newer; an already expired token restores only its
    // version (ARGV[3] <= 0). ARGV[4], when not empty, is the hash's JSON as read and rejected by this reader: if
    // the hash still holds exactly that, it counts for nothing, and the topic's verified version replaces it
    // whatever the hash or the floor claim (the floor only ever grows, so later versions still go above it).
    static final RedisScript<Long> RESTORE = RedisScript.of(
            """
            local v = tonumber(ARGV[1])
            local current = tonumber(redis.call('GET', KEYS[2]) or '0') or 0
            local inHash = tonumber(redis.call('HGET', KEYS[1], 'version') or '0') or 0
            if ARGV[4] ~= '' and redis.call('HGET', KEYS[1], 'json') == ARGV[4] then
              redis.call('DEL', KEYS[1])
              if tonumber(ARGV[3]) > 0 then
                redis.call('HSET', KEYS[1], 'json', ARGV[2], 'version', ARGV[1])
                redis.call('PEXPIRE', KEYS[1], ARGV[3])
              end
              if v > current then redis.call('SET', KEYS[2], ARGV[1]) end
              return 1
            end
            if inHash >= v or current > v then return 0 end
            if tonumber(ARGV[3]) > 0 then
              redis.call('HSET', KEYS[1], 'json', ARGV[2], 'version', ARGV[1])
              redis.call('PEXPIRE', KEYS[1], ARGV[3])
            end
            redis.call('SET', KEYS[2], ARGV[1])
            return 1
            """,
            Long.class);

    static final RedisScript<Long> REMOVE = RedisScript.of(
            """
            redis.call('DEL', KEYS[1], KEYS[2])
            local current = tonumber(redis.call('GET', KEYS[3]) or '0') or 0
            if tonumber(ARGV[1]) > current then redis.call('SET', KEYS[3], ARGV[1]) end
            return 1
            """,
            Long.class);

    private TokenScripts() {}
}
