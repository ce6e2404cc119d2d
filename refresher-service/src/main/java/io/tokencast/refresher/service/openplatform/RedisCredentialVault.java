package io.tokencast.refresher.service.openplatform;

import io.tokencast.refresher.signing.RecordRejectedException;
import io.tokencast.refresher.signing.RecordSigning;
import io.tokencast.refresher.signing.RecordSource;
import io.tokencast.refresher.signing.SignedEvent;
import io.tokencast.schema.CredentialKind;
import io.tokencast.schema.CredentialStored;
import io.tokencast.schema.EventDecodingException;
import io.tokencast.schema.TokenRetired;
import io.tokencast.trust.encryption.RecordEncryption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * {@link CredentialVault} on Redis and the credentials topic. Each credential lives in a Redis hash written by a
 * script that keeps the newer one, and an index set lists the credential keys held, so every replica can tell
 * which authorizers are registered (the layout and scripts are {@link CredentialHashes}). A marker says that
 * Redis reflects the topic: when it is gone (Redis lost its data), the next read or write rebuilds Redis from the
 * topic first, so an older credential can never be published after a newer one (compaction keeps the last record
 * of a key, not the newest).
 *
 * <p>Each stored credential gets the next {@code version} of its key from a counter (kept at least at the highest
 * version seen, restores included) and is sealed (encrypted) and signed before it reaches Redis or the topic;
 * {@link #find} reveals it, after the checks of {@link CredentialRead}.
 */
final class RedisCredentialVault implements CredentialVault {

    private static final Logger log = LoggerFactory.getLogger(RedisCredentialVault.class);

    private final CredentialHashes hashes;
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
        this.hashes = new CredentialHashes(redis, prefix);
        this.encryption = encryption;
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
        if (!hashes.writeIfNewer(signed, false, times.latestReceivedMillis(), "")) {
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
        if (!hashes.writeIfAbsent(signed)) {
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
        CredentialRead found = read(credentialKey);
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
        Object json = hashes.json(credentialKey);
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
            if (hashes.writeIfNewer(signed, false, times.latestReceivedMillis(), "")) {
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
        Set<String> keys = hashes.indexed();
        String ofKind = kind.keyFor("");
        return keys == null
                ? List.of()
                : keys.stream().filter(k -> k.startsWith(ofKind)).sorted().toList();
    }

    @Override
    public boolean remove(String credentialKey) {
        ensureRestored();
        boolean held = hashes.remove(credentialKey);
        // After Redis, like a store: a failed retirement leaves the topic's copy, and the caller retries. Its
        // version is the key's next, so no older record replayed after it counts.
        long version = hashes.nextVersion(credentialKey);
        topic.retire(
                signing.sign(TokenRetired.ofCredential(credentialKey, version, times.now(), TokenRetired.REMOVED)));
        log.info("credential removed key={} held={}", credentialKey, held);
        return held;
    }

    @Override
    public boolean rekey(String credentialKey) {
        ensureRestored();
        Object json = hashes.json(credentialKey);
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
            if (hashes.writeIfNewer(
                    signed, true, times.latestReceivedMillis(), untrustedJson(credential.credentialKey()))) {
                restored++;
                log.info(
                        "credential restored key={} fingerprint={} receivedAt={} from=topic",
                        credential.credentialKey(),
                        credential.fingerprint(),
                        credential.receivedAt());
            }
        }
        hashes.markRestored(instanceId);
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
        return hashes.isRestored();
    }

    private CredentialRead read(String credentialKey) {
        return CredentialRead.of(hashes.json(credentialKey), credentialKey, signing, encryption, times);
    }

    /** The key's JSON in Redis when this reader rejects it (for a restore to replace), else empty. */
    private String untrustedJson(String credentialKey) {
        CredentialRead present = read(credentialKey);
        return present.untrustedJson() == null ? "" : present.untrustedJson();
    }

    /** The credential as the next version of its key, encrypted when encryption is on. */
    private CredentialStored sealed(CredentialStored plain) {
        String key = plain.credentialKey();
        return encryption.seal(plain.withVersion(hashes.nextVersion(key)));
    }
}
