package io.tokencast.consumer;

import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.schema.TokenRetired;
import io.tokencast.trust.encryption.EncryptionException;
import io.tokencast.trust.records.Interpretation;
import io.tokencast.trust.records.Interpretation.Rejected;
import io.tokencast.trust.records.Interpretation.Retired;
import io.tokencast.trust.records.Interpretation.Version;
import io.tokencast.trust.records.RecordInterpreter;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TokenTable}'s map of held versions, newest per key, and the rules by which the one writer replaces
 * them: a newer version replaces an older one, a version this service cannot decrypt never displaces a readable
 * one, and where signatures are checked nothing unverified is ever held (docs/design.md §5, "When to verify").
 */
final class HeldTokens {

    private static final Logger log = LoggerFactory.getLogger(TokenTable.class);

    // Replaced once, by compact().
    private volatile ConcurrentHashMap<TokenKey, Held> held = new ConcurrentHashMap<>();
    // Read and written by the topic reader only.
    private boolean compacted;
    private final TableCounters counters;
    private final TokenChanges changes;
    private final TokenDecryption decryption;
    private final RecordInterpreter<TokenKey, TokenRefreshed> interpreter;
    private final RestoreVerification restored;
    private final BooleanSupplier ready;

    /** @param interpreter verifies records before they are held, where signatures are checked */
    HeldTokens(
            TableCounters counters,
            TokenChanges changes,
            TokenDecryption decryption,
            RecordInterpreter<TokenKey, TokenRefreshed> interpreter,
            BooleanSupplier ready) {
        this.counters = counters;
        this.changes = changes;
        this.decryption = decryption;
        this.interpreter = interpreter;
        this.restored = new RestoreVerification(interpreter, decryption, counters);
        this.ready = ready;
    }

    /** The held version of {@code key} as it is now (restored records not settled), or null. */
    Held get(TokenKey key) {
        return held.get(key);
    }

    /** The held token of {@code key}, or null when none is servable. */
    Token token(TokenKey key) {
        Held current = held.get(key);
        return current == null ? null : current.token();
    }

    /** The version held for {@code key} (also after removal), 0 when none was ever held. */
    long version(TokenKey key) {
        Held current = held.get(key);
        return current == null ? 0 : current.version();
    }

    int size() {
        return held.size();
    }

    /** Keys held and not removed. */
    int live() {
        int keys = 0;
        for (Held value : held.values()) {
            if (!value.isRemoved()) {
                keys++;
            }
        }
        return keys;
    }

    Set<TokenKey> keys() {
        Set<TokenKey> keys = new HashSet<>();
        held.forEach((key, value) -> {
            if (!value.isRemoved()) {
                keys.add(key);
            }
        });
        return Set.copyOf(keys);
    }

    Map<TokenKey, TokenRefreshed> snapshot() {
        Map<TokenKey, TokenRefreshed> snapshot = new TreeMap<>();
        held.forEach((key, value) -> {
            if (!value.isRemoved()) {
                snapshot.put(key, value.event());
            }
        });
        return Map.copyOf(snapshot);
    }

    RestoreVerification restored() {
        return restored;
    }

    /** Whether a record of {@code key} would be refused because {@code maxKeys} are held already. */
    boolean overKeyCap(TokenKey key, int maxKeys) {
        return held.size() + restored.pending() >= maxKeys && !held.containsKey(key) && !restored.contains(key);
    }

    /**
     * Holds {@code event} if its version is newer than the held one, decrypting it now, once; returns whether
     * it did. A version this service holds no key for never displaces a readable one: the key reports
     * {@link TokenState#NO_KEY} and keeps serving the older token until it expires. Checks no signature: the
     * caller has (or runs without signatures).
     */
    boolean apply(TokenRefreshed event) {
        TokenKey key = event.tokenKey();
        Held current = held.get(key);
        if (isOlder(key, event.version(), current)) {
            return false;
        }
        String plaintext;
        try {
            plaintext = decryption.reveal(event);
        } catch (EncryptionException e) {
            Held unreadable = decryption.unreadable(current, event, e);
            if (unreadable != null) {
                hold(key, unreadable);
            }
            return false;
        }
        Held next = decryption.readable(event, plaintext);
        hold(key, next);
        counters.versionsApplied.incrementAndGet();
        if (ready.getAsBoolean()) {
            log.info(
                    "token refreshed key={} version={} fingerprint={} expiresAt={} reason={}",
                    key,
                    event.version(),
                    event.fingerprint(),
                    event.expiresAt(),
                    event.reason());
        }
        changes.refreshed(next);
        return true;
    }

    /**
     * Lays what is held out again, each key's map key, node and {@link Held} allocated side by side. The records
     * a view decodes while restoring lie between the versions they produced, a signature or a ciphertext longer
     * in some views than in others, and verified views hold their keys one by one as they settle; the heap keeps
     * that order even through a full GC. Laid out anew, a read touches a few neighbouring cache lines whatever
     * the records carried (README, "Results": the read-path variants). Called once, by the topic reader, when
     * the view is ready and no restored key waits to settle, so it is the only writer there is; readers go on
     * reading the old map or the new one, which hold the same versions.
     */
    void compactOnceSettled() {
        if (!compacted && ready.getAsBoolean() && restored.pending() == 0) {
            compact();
            compacted = true;
        }
    }

    private void compact() {
        ConcurrentHashMap<TokenKey, Held> dense = new ConcurrentHashMap<>(Math.max(16, held.size()));
        held.forEach((key, value) -> dense.put(ownKey(key), value.copy()));
        held = dense;
    }

    /** Holds {@code next}; a key's first version gets a map key of its own, beside its node (see compact()). */
    private void hold(TokenKey key, Held next) {
        if (held.replace(key, next) == null) {
            held.put(ownKey(key), next);
        }
    }

    /**
     * A copy of {@code key} with characters of its own: a lookup by a caller's equal key compares the accounts'
     * characters, so they belong beside the rest of what a read touches, not in the record they were decoded from.
     */
    private static TokenKey ownKey(TokenKey key) {
        return new TokenKey(key.kind(), new String(key.account().toCharArray()));
    }

    private boolean isOlder(TokenKey key, long version, Held current) {
        if (current == null || version > current.newestSeen()) {
            return false;
        }
        counters.olderVersionsIgnored.incrementAndGet();
        log.debug("ignored older token version key={} version={} held={}", key, version, current.version());
        return true;
    }

    /**
     * A record that arrived while the view is live: verified before it can replace anything, so a forged newer
     * version never displaces a genuine one. A version not newer than the held one replaces nothing and is
     * ignored unverified. Returns whether it is now held.
     */
    boolean applyVerified(Version<TokenKey, TokenRefreshed> version) {
        TokenKey key = version.key();
        settle(key); // a key restored unverified settles first: the record must beat the genuine version
        if (isOlder(key, version.event().version(), held.get(key))
                || !verified(version, key, version.event().version())) {
            return false;
        }
        return apply(version.event());
    }

    private boolean verified(Interpretation<TokenKey, TokenRefreshed> read, TokenKey key, long version) {
        if (interpreter.verify(read) instanceof Rejected<TokenKey, TokenRefreshed> rejected) {
            counters.rejected(key, version, rejected.verification(), read.partition(), read.offset());
            return false;
        }
        return true;
    }

    /**
     * A {@code TokenRetired} while live: removes the key if it is newer than every version held, once verified
     * (where signatures are checked). Its version then stays the key's newest seen, so an older record replayed
     * after it never brings the key back. Returns whether the key was removed.
     */
    boolean retire(Retired<TokenKey, TokenRefreshed> read) {
        TokenKey key = read.key();
        TokenRetired retired = read.event();
        settle(key);
        Held current = held.get(key);
        if (current != null && retired.version() <= current.newestSeen()) {
            counters.olderVersionsIgnored.incrementAndGet();
            return false;
        }
        if (!verified(read, key, retired.version())) {
            return false;
        }
        hold(key, Held.removed(key, retired.version()));
        if (current == null || current.isRemoved()) {
            return false;
        }
        counters.tombstones.incrementAndGet();
        log.info("token retired key={} version={} lastServedVersion={}", key, retired.version(), current.version());
        changes.removed(key);
        return true;
    }

    /**
     * A bare tombstone while signatures are checked: no removal, only a verified {@code TokenRetired} is one. The
     * refresher writes one after each retirement so compaction can forget the key: that one is expected and
     * logged at DEBUG; one for a key still served is not, and is logged at WARN.
     */
    void ignoreTombstone(TokenKey key, int partition, long offset) {
        counters.tombstonesIgnored.incrementAndGet();
        Held current = held.get(key);
        if (ready.getAsBoolean() && current != null && !current.isRemoved()) {
            log.warn(
                    "ignored bare tombstone key={} partition={} offset={} reason=\"only a verified TokenRetired"
                            + " removes a key; the held token is served until it expires\"",
                    key,
                    partition,
                    offset);
        } else {
            log.debug("ignored bare tombstone key={} partition={} offset={}", key, partition, offset);
        }
    }

    /** Removes the key (a bare tombstone where signatures are not checked); returns whether it was held. */
    boolean remove(TokenKey key) {
        Held current = held.get(key);
        if (current == null || current.isRemoved()) {
            return false;
        }
        hold(key, Held.removed(key, current.version()));
        counters.tombstones.incrementAndGet();
        log.info("token removed key={} lastVersion={}", key, current.version());
        changes.removed(key);
        return true;
    }

    /**
     * Verifies the records {@code key} kept at restore and holds the version they settle on. Exactly once per
     * key, whoever calls first: a reader, the background, or the topic reader before it applies a newer record.
     */
    void settle(TokenKey key) {
        Held next = restored.settle(key, settled -> hold(key, settled));
        if (next != null) {
            changes.refreshed(next);
        }
    }

    /** Settles every key still waiting. */
    void settleAll() {
        restored.keys().forEach(this::settle);
    }
}
