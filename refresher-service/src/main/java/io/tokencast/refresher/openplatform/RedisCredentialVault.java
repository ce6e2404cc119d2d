package io.tokencast.refresher.openplatform;

import io.tokencast.refresher.signing.RecordRejectedException;
import io.tokencast.refresher.signing.RecordSigning;
import io.tokencast.refresher.signing.RecordSource;
import io.tokencast.refresher.signing.SignedEvent;
import io.tokencast.refresher.store.RedisKeyspace;
import io.tokencast.schema.CredentialKind;
import io.tokencast.schema.CredentialStored;
import io.tokencast.schema.EventDecodingException;
import io.tokencast.schema.TokenRetired;
import io.tokencast.trust.encryption.EncryptionException;
import io.tokencast.trust.encryption.RecordEncryption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * {@link CredentialVault} on Redis and the credentials topic. Per credential, the hash
 * {@code <prefix>credential:<credentialKey>} holds the {@code CredentialStored} JSON ({@code json}) and its
 * {@code receivedAt} in epoch milliseconds, written by a Lua script that keeps the newer one; the set
 * {@code <prefix>credential-keys} lists the credential keys held, so every replica can tell which authorizers
 * are registered (the scripts keep it whole, also for hashes written before it existed). The key
 * {@code <prefix>credential-restored} marks that Redis reflects the topic: when it is gone (Redis lost its
 * data), the next read or write rebuilds Redis from the topic first, so an older credential can never be
 * published after a newer one (compaction keeps the last record of a key, not the newest).
 *
 * <p>Each stored credential gets the next {@code version} of its key from the counter
 * {@code <prefix>credential-version:<credentialKey>} (kept at least at the highest version seen, restores
 * included) and is sealed (encrypted) before it reaches Redis or the topic; {@link #find} reveals it.
 */
final class RedisCredentialVault implements CredentialVault {

    private static final Logger log = LoggerFactory.getLogger(RedisCredentialVault.class);

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
    private final CredentialTopic topic;
    private final String instanceId;
    private final CredentialTimes times;
    private final RecordEncryption encryption;
    private final RecordSigning signing;
    // Untrusted Redis records already replaced from the topic once, by their JSON's hash: one the topic could not
    // replace costs no whole-topic read per lookup. Bounded; cleared when full.
    private final Set<Integer> repairsTried = ConcurrentHashMap.newKeySet();

    RedisCredentialVault(
            StringRedisTemplate redis,
            String prefix,
            CredentialTopic topic,
            String instanceId,
            RecordEncryption encryption,
            CredentialTimes times,
            RecordSigning signing) {
        this.times = times;
        this.signing = signing;
        this.redis = redis;
        this.encryption = encryption;
        this.keys = new RedisKeyspace(prefix);
        this.topic = topic;
        this.instanceId = instanceId;
    }

    @Override
    public void store(CredentialStored plain) {
        Optional<String> problem = times.problem(plain);
        if (problem.isPresent()) {
            log.warn(
                    "credential not stored key={} fingerprint={} cause=out-of-range detail=\"{}\"",
                    plain.credentialKey(),
                    plain.fingerprint(),
                    problem.get());
            return;
        }
        ensureRestored();
        SignedEvent<CredentialStored> signed = signing.sign(sealed(plain));
        CredentialStored credential = signed.event();
        if (!write(NEWER_WINS, signed, "0", "")) {
            log.info(
                    "credential not stored key={} fingerprint={} cause=vault-holds-a-newer-one",
                    credential.credentialKey(),
                    credential.fingerprint());
            return;
        }
        topic.publish(signed);
        log.info(
                "credential stored key={} kind={} version={} fingerprint={} kid={} source={} receivedAt={}"
                        + " expiresAt={}",
                credential.credentialKey(),
                credential.kind(),
                credential.version(),
                credential.fingerprint(),
                RecordEncryption.kid(credential).orElse(null),
                credential.source(),
                credential.receivedAt(),
                credential.expiresAt());
    }

    @Override
    public boolean storeIfAbsent(CredentialStored plain) {
        ensureRestored();
        SignedEvent<CredentialStored> signed = signing.sign(sealed(plain));
        CredentialStored credential = signed.event();
        if (!write(IF_ABSENT, signed, null, "")) {
            return false;
        }
        topic.publish(signed);
        log.info(
                "credential seeded key={} kind={} fingerprint={} source={}",
                credential.credentialKey(),
                credential.kind(),
                credential.fingerprint(),
                credential.source());
        return true;
    }

    @Override
    public Optional<CredentialStored> find(String credentialKey) {
        Read found = read(credentialKey);
        if (found.credential().isEmpty() && (!isRestored() || found.repairable(repairsTried))) {
            // Redis lost its data, or holds a record for the key that it does not verify: the topic answers.
            restoreFromTopic();
            found = read(credentialKey);
        }
        if (found.unsigned() != null) {
            adopt(found.unsigned());
        }
        return found.credential();
    }

    @Override
    public Optional<SignedEvent<CredentialStored>> held(String credentialKey) {
        Object json = redisCall(() -> redis.opsForHash().get(key(credentialKey), "json"), "read " + credentialKey);
        if (json == null) {
            return Optional.empty();
        }
        byte[] bytes = json.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try {
            RecordSigning.Checked<CredentialStored> checked =
                    signing.check(bytes, credentialKey, CredentialStored.class, RecordSource.REDIS_CREDENTIALS);
            return checked.unsigned() ? Optional.empty() : Optional.of(new SignedEvent<>(checked.event(), bytes));
        } catch (RecordRejectedException | EventDecodingException e) {
            return Optional.empty();
        }
    }

    /**
     * Stores an unsigned credential, read in the upgrade window (tokencast.signing.accept-unsigned-until), again
     * signed, in Redis and on the topic: refresh tokens are given once and never stored again otherwise.
     */
    private void adopt(CredentialStored unsigned) {
        SignedEvent<CredentialStored> signed = signing.sign(unsigned);
        try {
            if (write(NEWER_WINS, signed, "0", "")) {
                topic.publish(signed);
                log.info(
                        "credential signed key={} version={} fingerprint={} cause=stored-before-signing",
                        unsigned.credentialKey(),
                        unsigned.version(),
                        unsigned.fingerprint());
            }
        } catch (CredentialVaultException e) {
            log.warn(
                    "credential not yet signed key={} action=retry-next-read error={}",
                    unsigned.credentialKey(),
                    e.getMessage());
        }
    }

    @Override
    public List<String> keys(CredentialKind kind) {
        ensureRestored();
        Set<String> keys = redisCall(() -> redis.opsForSet().members(index()), "list the credential keys");
        String ofKind = kind.keyFor("");
        return keys == null
                ? List.of()
                : keys.stream().filter(k -> k.startsWith(ofKind)).sorted().toList();
    }

    @Override
    public boolean remove(String credentialKey) {
        ensureRestored();
        Long deleted = redisCall(
                () -> redis.execute(REMOVE, List.of(key(credentialKey), index()), credentialKey),
                "remove " + credentialKey);
        // After Redis, like a store: a failed retirement leaves the topic's copy, and the caller retries. Its
        // version is the key's next, so no older record replayed after it counts.
        Long version =
                redisCall(() -> redis.opsForValue().increment(versionKey(credentialKey)), "number " + credentialKey);
        topic.retire(signing.sign(TokenRetired.ofCredential(
                credentialKey, version == null ? 1 : version, times.now(), TokenRetired.REMOVED)));
        boolean held = deleted != null && deleted > 0;
        log.info("credential removed key={} held={}", credentialKey, held);
        return held;
    }

    @Override
    public boolean rekey(String credentialKey) {
        ensureRestored();
        Object json = redisCall(() -> redis.opsForHash().get(key(credentialKey), "json"), "read " + credentialKey);
        if (json == null) {
            return false;
        }
        RecordSigning.Checked<CredentialStored> checked =
                signing.check(json.toString(), credentialKey, CredentialStored.class, RecordSource.REDIS_CREDENTIALS);
        CredentialStored stored = checked.event();
        Optional<String> newest = encryption.writeKid(credentialKey);
        boolean reencrypt = newest.isPresent() && !newest.equals(RecordEncryption.kid(stored));
        if (!reencrypt && !signing.needsResigning(checked.signedBy())) {
            return false;
        }
        store(encryption.revealed(stored));
        return true;
    }

    @Override
    public int restoreFromTopic() {
        long started = System.nanoTime();
        Map<String, SignedEvent<CredentialStored>> onTopic = topic.readToEnd();
        int restored = 0;
        for (SignedEvent<CredentialStored> signed : onTopic.values()) {
            CredentialStored credential = signed.event();
            if (write(NEWER_WINS, signed, "1", untrustedJson(credential.credentialKey()))) {
                restored++;
                log.info(
                        "credential restored key={} fingerprint={} receivedAt={} from=topic",
                        credential.credentialKey(),
                        credential.fingerprint(),
                        credential.receivedAt());
            }
        }
        redisCall(
                () -> {
                    redis.opsForValue().set(restoredMarker(), instanceId);
                    return null;
                },
                "mark the vault restored");
        log.info(
                "credential vault restored instance={} topicKeys={} restored={} durationMs={}",
                instanceId,
                onTopic.size(),
                restored,
                (System.nanoTime() - started) / 1_000_000);
        return restored;
    }

    private void ensureRestored() {
        if (!isRestored()) {
            restoreFromTopic();
        }
    }

    private boolean isRestored() {
        return Boolean.TRUE.equals(redisCall(() -> redis.hasKey(restoredMarker()), "read the restore marker"));
    }

    /**
     * What Redis holds for a key: the credential, or none; {@code untrustedJson} when it failed verification;
     * {@code unsigned}, the record as stored, when it was taken without a signature in the upgrade window.
     */
    private record Read(Optional<CredentialStored> credential, String untrustedJson, CredentialStored unsigned) {

        static final Read NONE = new Read(Optional.empty(), null, null);

        /** Whether a restore from the topic may replace it: untrusted, and not already tried for this record. */
        boolean repairable(Set<Integer> tried) {
            if (untrustedJson == null) {
                return false;
            }
            if (tried.size() > 10_000) {
                tried.clear();
            }
            return tried.add(untrustedJson.hashCode());
        }
    }

    private Read read(String credentialKey) {
        Object json = redisCall(() -> redis.opsForHash().get(key(credentialKey), "json"), "read " + credentialKey);
        if (json == null) {
            return Read.NONE;
        }
        RecordSigning.Checked<CredentialStored> checked;
        try {
            checked = signing.check(
                    json.toString(), credentialKey, CredentialStored.class, RecordSource.REDIS_CREDENTIALS);
        } catch (RecordRejectedException e) {
            return new Read(Optional.empty(), json.toString(), null);
        } catch (EventDecodingException e) {
            log.warn("unreadable credential in redis key={} problem={}", credentialKey, e.getMessage());
            return new Read(Optional.empty(), json.toString(), null);
        }
        CredentialStored stored = checked.event();
        try {
            CredentialStored credential = encryption.revealed(stored);
            Optional<String> problem = times.problem(credential);
            if (problem.isPresent()) {
                log.warn("credential in redis not believed key={} problem=\"{}\"", credentialKey, problem.get());
                return Read.NONE;
            }
            return new Read(Optional.of(credential), null, checked.unsigned() ? stored : null);
        } catch (EncryptionException e) {
            // Unreadable means unusable; the topic's copy (or the next push) replaces it.
            log.warn("unreadable credential in redis key={} problem={}", credentialKey, e.getMessage());
            return Read.NONE;
        }
    }

    /** The key's JSON in Redis when this reader rejects it (for a restore to replace), else empty. */
    private String untrustedJson(String credentialKey) {
        Read present = read(credentialKey);
        return present.untrustedJson() == null ? "" : present.untrustedJson();
    }

    /** The credential as the next version of its key, encrypted when encryption is on. */
    private CredentialStored sealed(CredentialStored plain) {
        String key = plain.credentialKey();
        Long version = redisCall(() -> redis.opsForValue().increment(versionKey(key)), "number " + key);
        return encryption.seal(plain.withVersion(version == null ? 1 : version));
    }

    private boolean write(
            RedisScript<Long> script, SignedEvent<CredentialStored> signed, String restore, String untrusted) {
        CredentialStored credential = signed.event();
        String json = signed.jsonString();
        String receivedAt = Long.toString(credential.receivedAt().toEpochMilli());
        String credentialKey = credential.credentialKey();
        String version = Long.toString(credential.version() == null ? 0 : credential.version());
        List<String> keys = List.of(key(credentialKey), index(), versionKey(credentialKey));
        Long result = redisCall(
                () -> restore == null
                        ? redis.execute(script, keys, json, receivedAt, credentialKey, version)
                        : redis.execute(
                                script,
                                keys,
                                json,
                                receivedAt,
                                restore,
                                credentialKey,
                                version,
                                Long.toString(times.latestReceivedMillis()),
                                untrusted),
                "write " + credential.credentialKey());
        return result != null && result == 1L;
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

    private String key(String credentialKey) {
        return keys.credential(credentialKey);
    }

    private String versionKey(String credentialKey) {
        return keys.credentialVersion(credentialKey);
    }

    private String index() {
        return keys.credentialKeys();
    }

    private String restoredMarker() {
        return keys.credentialRestored();
    }
}
