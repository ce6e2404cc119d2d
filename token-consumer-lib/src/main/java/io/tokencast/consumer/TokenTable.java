package io.tokencast.consumer;

import io.tokencast.schema.LogText;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.schema.TokenRetired;
import io.tokencast.trust.encryption.EncryptionException;
import io.tokencast.trust.encryption.RecordEncryption;
import io.tokencast.trust.signing.RecordVerifier;
import io.tokencast.trust.signing.Verdict;
import io.tokencast.trust.signing.Verification;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tokens a view holds, newest version per key. One writer (the reader thread, or a test) applies
 * changes; any number of readers look tokens up without locks: a lookup is one concurrent-map read of an
 * immutable {@link Held} plus a comparison against {@link Clock#millis()}.
 *
 * <p>With a {@link RecordVerifier}, nothing unverified is ever held: a record arriving while the view is live is
 * verified before it can replace anything; records read at cold start wait in {@link RestoredRecords} and are
 * verified once, in the background or by the first read of their key (the only writer besides the reader,
 * under that key's lock, before the reader may touch the key again).
 */
final class TokenTable {

    private static final Logger log = LoggerFactory.getLogger(TokenTable.class);

    private final ConcurrentHashMap<TokenKey, Held> held = new ConcurrentHashMap<>();
    private final NextVersions nextVersions = new NextVersions();
    private final List<TokenChangeListener> listeners = new CopyOnWriteArrayList<>();
    private final Clock clock;
    private final long staleGraceMillis;
    private final String source;
    private final RecordEncryption encryption;
    private final int maxKeys;
    private final RecordVerifier verifier;
    private final RestoredRecords restored = new RestoredRecords();
    // Half the cores: the other half stays with the topic reader and the service's own first reads.
    private volatile int backgroundVerifiers = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    private volatile boolean ready;
    private volatile boolean readerAlive = true;

    private final AtomicLong recordsRead = new AtomicLong();
    private final AtomicLong versionsApplied = new AtomicLong();
    private final AtomicLong olderVersionsIgnored = new AtomicLong();
    private final AtomicLong tombstones = new AtomicLong();
    private final AtomicLong malformedSkipped = new AtomicLong();
    private final AtomicLong readerFailures = new AtomicLong();
    private final AtomicLong tombstonesIgnored = new AtomicLong();
    private final AtomicLongArray rejections = new AtomicLongArray(Verdict.values().length);

    /** @param source names where tokens come from in messages, e.g. {@code topic 'tokencast.tokens'} */
    TokenTable(Clock clock, Duration staleGrace, String source) {
        this(clock, staleGrace, source, RecordEncryption.off(), Integer.MAX_VALUE);
    }

    /** @param encryption decrypts each version once, when it is applied */
    TokenTable(Clock clock, Duration staleGrace, String source, RecordEncryption encryption) {
        this(clock, staleGrace, source, encryption, Integer.MAX_VALUE);
    }

    /**
     * @param encryption decrypts each version once, when it is applied
     * @param maxKeys most keys held; the reader skips records of further keys ({@link #overKeyCap})
     */
    TokenTable(Clock clock, Duration staleGrace, String source, RecordEncryption encryption, int maxKeys) {
        this(clock, staleGrace, source, encryption, maxKeys, null);
    }

    /**
     * @param verifier checks each record against the refresher's keys before it is held; null: no check (only
     *     where that was turned off explicitly, or in a test double fed by hand)
     */
    TokenTable(
            Clock clock,
            Duration staleGrace,
            String source,
            RecordEncryption encryption,
            int maxKeys,
            RecordVerifier verifier) {
        this.verifier = verifier;
        this.maxKeys = maxKeys;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.staleGraceMillis = staleGrace.toMillis();
        this.source = source;
        this.encryption = Objects.requireNonNull(encryption, "encryption");
    }

    Clock clock() {
        return clock;
    }

    // ---- reads (any thread) ----

    Token token(TokenKey key) {
        Objects.requireNonNull(key, "key");
        if (!ready) {
            throw new TokenNotReadyException(
                    key,
                    "token " + key + " is not available yet: the view of " + source
                            + " has not read it to the end (" + recordsRead.get()
                            + " records so far). Call awaitReady(Duration) after start(), or wait for health UP.");
        }
        Held current = held.get(key);
        if (current == null) {
            current = settled(key);
        }
        if (current == null) {
            throw new UnknownTokenException(
                    key,
                    "no token for " + key + " on " + source + " (it holds " + held.size()
                            + " keys). Check the key's kind and account, and that the refresher manages this app"
                            + " (tokencast.apps)." + (verifier == null ? "" : unverifiedHint()));
        }
        if (current.isRemoved()) {
            throw new TokenRemovedException(
                    key,
                    "token " + key + " was removed from " + source + " (retired at v" + current.version()
                            + ", or a tombstone where signatures are not checked): the refresher no longer manages it. Stop asking for it, or add the app back to"
                            + " the refresher's tokencast.apps.");
        }
        if (current.token() == null) {
            throw noKey(current);
        }
        if (clock.millis() >= current.expiresAtMillis()) {
            throw current.unreadable() == null ? expired(current) : noKey(current);
        }
        return current.token();
    }

    private NoKeyForScopeException noKey(Held current) {
        Held.Unreadable unreadable = current.unreadable();
        return new NoKeyForScopeException(
                current.key(),
                unreadable.reason() + ". This service cannot decrypt token " + current.key() + " v"
                        + unreadable.version() + " (kid " + unreadable.kid() + "). If it should read this key, add"
                        + " the key and a scope covering it to the service's encryption keyring"
                        + " (TokenView.builder().encryptionKeyring(...), docs/security.md §5); otherwise stop"
                        + " asking for it.");
    }

    private TokenExpiredException expired(Held current) {
        TokenRefreshed event = current.event();
        return new TokenExpiredException(
                current.key(),
                event.expiresAt(),
                "token " + current.key() + " v" + current.version() + " expired at " + event.expiresAt()
                        + " and no newer version arrived on " + source + " (the refresher planned one for "
                        + event.nextRefreshAt() + "). Check the refresher's health and the audit topic"
                        + " tokencast.token-audit; the view serves the next version as soon as it is published.");
    }

    Optional<Token> find(TokenKey key) {
        Objects.requireNonNull(key, "key");
        Held current = held.get(key);
        if (current == null && ready) {
            current = settled(key);
        }
        if (!ready || current == null || current.token() == null || clock.millis() >= current.expiresAtMillis()) {
            return Optional.empty();
        }
        return Optional.of(current.token());
    }

    TokenState state(TokenKey key) {
        Objects.requireNonNull(key, "key");
        Held current = held.get(key);
        if (current == null && ready) {
            current = settled(key);
        }
        return !ready || current == null ? TokenState.ABSENT : current.state(clock.millis());
    }

    Set<TokenKey> keys() {
        settleAll();
        Set<TokenKey> keys = new HashSet<>();
        held.forEach((key, value) -> {
            if (!value.isRemoved()) {
                keys.add(key);
            }
        });
        return Set.copyOf(keys);
    }

    Map<TokenKey, TokenRefreshed> snapshot() {
        settleAll();
        Map<TokenKey, TokenRefreshed> snapshot = new TreeMap<>();
        held.forEach((key, value) -> {
            if (!value.isRemoved()) {
                snapshot.put(key, value.event());
            }
        });
        return Map.copyOf(snapshot);
    }

    ConsumerStats stats() {
        int keys = 0;
        for (Held value : held.values()) {
            if (!value.isRemoved()) {
                keys++;
            }
        }
        return new ConsumerStats(
                ready,
                keys,
                recordsRead.get(),
                versionsApplied.get(),
                olderVersionsIgnored.get(),
                tombstones.get(),
                malformedSkipped.get(),
                readerAlive,
                readerFailures.get(),
                rejections(),
                restored.size(),
                tombstonesIgnored.get());
    }

    private Map<Verdict, Long> rejections() {
        Map<Verdict, Long> counts = new EnumMap<>(Verdict.class);
        for (Verdict verdict : Verdict.values()) {
            long count = rejections.get(verdict.ordinal());
            if (count > 0) {
                counts.put(verdict, count);
            }
        }
        return counts;
    }

    private String unverifiedHint() {
        long rejected = 0;
        for (int i = 0; i < rejections.length(); i++) {
            rejected += rejections.get(i);
        }
        return rejected == 0
                ? ""
                : " The view refused " + rejected + " record(s) whose signature did not verify against the"
                        + " refresher's keys; it never serves those (docs/security.md §4).";
    }

    boolean isReady() {
        return ready;
    }

    void awaitReady(Duration timeout, String hint) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (!ready) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw new TokenNotReadyException(
                            null,
                            "the view of " + source + " is not ready after " + timeout + ": it read "
                                    + recordsRead.get() + " records so far. " + hint);
                }
                try {
                    wait(Math.max(1, remaining / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new TokenNotReadyException(
                            null, "interrupted while waiting for the view of " + source + " to become ready");
                }
            }
        }
    }

    /** The version held for {@code key} (also after removal), 0 when none was ever held. */
    long heldVersion(TokenKey key) {
        Held current = held.get(key);
        return current == null ? 0 : current.version();
    }

    /**
     * A future completed with the first servable version newer than {@code rejected} that carries another
     * token (another fingerprint); already complete when the view holds one.
     */
    /**
     * A future completed with the first servable version newer than {@code rejected}, whatever its token: the
     * test double's contract, which adapters built on it (WxJava) answer by reporting again.
     */
    CompletableFuture<Token> nextVersion(Token rejected) {
        return nextVersions.awaitVersion(rejected, () -> {
            Held current = held.get(rejected.key());
            return current == null ? null : current.token();
        });
    }

    CompletableFuture<Token> nextToken(Token rejected) {
        return nextVersions.await(rejected, () -> {
            Held current = held.get(rejected.key());
            return current == null ? null : current.token();
        });
    }

    void addListener(TokenChangeListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    void removeListener(TokenChangeListener listener) {
        listeners.remove(listener);
    }

    // ---- writes (one writer) ----

    void countRead() {
        recordsRead.incrementAndGet();
    }

    void countMalformed() {
        malformedSkipped.incrementAndGet();
    }

    /** Whether a record of {@code key} would be refused because the view holds its most keys already. */
    boolean overKeyCap(TokenKey key) {
        return held.size() + restored.size() >= maxKeys && !held.containsKey(key) && !restored.contains(key);
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
        if (current != null && event.version() <= current.newestSeen()) {
            olderVersionsIgnored.incrementAndGet();
            log.debug("ignored older token version key={} version={} held={}", key, event.version(), current.version());
            return false;
        }
        String plaintext;
        try {
            plaintext = encryption.reveal(event);
        } catch (EncryptionException e) {
            return unreadable(current, event, e);
        }
        Held next = Held.of(event, plaintext, staleGraceMillis);
        held.put(key, next);
        versionsApplied.incrementAndGet();
        if (ready) {
            log.info(
                    "token refreshed key={} version={} fingerprint={} expiresAt={} reason={}",
                    key,
                    event.version(),
                    event.fingerprint(),
                    event.expiresAt(),
                    event.reason());
        }
        announce(next);
        return true;
    }

    private void announce(Held next) {
        if (next.token() != null) {
            nextVersions.arrived(next.token());
            for (TokenChangeListener listener : listeners) {
                notify(listener, next.key(), () -> listener.tokenRefreshed(next.token()));
            }
        }
    }

    // ---- signatures (docs/design.md §5, "When to verify") ----

    SignatureVerification signatureVerification() {
        return verifier == null
                ? SignatureVerification.off()
                : new SignatureVerification(true, verifier.keys().kids(), RecordVerifier.provider());
    }

    /** Whether records are verified against the refresher's keys before they are held. */
    boolean verifies() {
        return verifier != null;
    }

    /**
     * A record that arrived while the view is live: verified before it can replace anything, so a forged newer
     * version never displaces a genuine one. A version not newer than the held one replaces nothing and is
     * ignored unverified. Returns whether it is now held.
     */
    boolean applyVerified(TokenRefreshed event, byte[] raw, int partition, long offset) {
        TokenKey key = event.tokenKey();
        settle(key); // a key restored unverified settles first: the record must beat the genuine version
        Held current = held.get(key);
        if (current != null && event.version() <= current.newestSeen()) {
            olderVersionsIgnored.incrementAndGet();
            log.debug("ignored older token version key={} version={} held={}", key, event.version(), current.version());
            return false;
        }
        Verification verification = verifier.verify(raw, key.asString());
        if (!verification.isVerified()) {
            rejected(key, event.version(), verification, partition, offset);
            return false;
        }
        return apply(event);
    }

    /** A record read while restoring: kept unverified, and verified later with the key's other last records. */
    void defer(TokenRefreshed event, byte[] raw, int partition, long offset) {
        restored.add(event.tokenKey(), new RestoredRecords.Candidate(event, null, raw, partition, offset));
    }

    /** A removal read while restoring: kept with the key's other last records, verified before it removes. */
    void deferRetirement(TokenRetired retired, byte[] raw, int partition, long offset) {
        restored.add(retired.tokenKey(), new RestoredRecords.Candidate(null, retired, raw, partition, offset));
    }

    /**
     * A {@code TokenRetired} while live: removes the key if it is newer than every version held, once verified
     * (where signatures are checked). Its version then stays the key's newest seen, so an older record replayed
     * after it never brings the key back. Returns whether the key was removed.
     */
    boolean retire(TokenRetired retired, byte[] raw, int partition, long offset) {
        TokenKey key = retired.tokenKey();
        settle(key);
        Held current = held.get(key);
        if (current != null && retired.version() <= current.newestSeen()) {
            olderVersionsIgnored.incrementAndGet();
            return false;
        }
        if (verifier != null) {
            Verification verification = verifier.verify(raw, key.asString());
            if (!verification.isVerified()) {
                rejected(key, retired.version(), verification, partition, offset);
                return false;
            }
        }
        return removeAt(key, retired.version(), current);
    }

    private boolean removeAt(TokenKey key, long version, Held current) {
        held.put(key, Held.removed(key, version));
        if (current == null || current.isRemoved()) {
            return false;
        }
        tombstones.incrementAndGet();
        log.info("token retired key={} version={} lastServedVersion={}", key, version, current.version());
        for (TokenChangeListener listener : listeners) {
            notify(listener, key, () -> listener.tokenRemoved(key));
        }
        return true;
    }

    /**
     * A bare tombstone while signatures are checked: no removal, only a verified {@code TokenRetired} is one. The
     * refresher writes one after each retirement so compaction can forget the key: that one is expected and
     * logged at DEBUG; one for a key still served is not, and is logged at WARN.
     */
    void ignoreTombstone(TokenKey key, int partition, long offset) {
        tombstonesIgnored.incrementAndGet();
        Held current = held.get(key);
        if (ready && current != null && !current.isRemoved()) {
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

    /** The held version of {@code key}, its restored records settled first if they wait; null when none. */
    private Held settled(TokenKey key) {
        if (verifier != null && ready) {
            settle(key);
        }
        return held.get(key);
    }

    /** Settles every key still waiting; only once ready (before, the reader is still adding to them). */
    private void settleAll() {
        if (verifier != null && ready) {
            restored.keys().forEach(this::settle);
        }
    }

    /**
     * Verifies the records {@code key} kept at restore from the highest version down, falling back to the next
     * when one fails, and holds the first that verifies and decrypts (behind a verified newer one this service
     * cannot decrypt, if any: that one reports {@link TokenState#NO_KEY}). Exactly once per key, whoever calls
     * first: a reader, the background, or the topic reader before it applies a newer record.
     */
    void settle(TokenKey key) {
        RestoredRecords.Entry entry = restored.get(key);
        if (entry == null) {
            return;
        }
        Held next;
        synchronized (entry) {
            if (entry.settled) {
                return;
            }
            next = settleLocked(key, entry);
            entry.settled = true;
            // After the put: whoever no longer finds the entry finds the held version.
            restored.remove(key, entry);
        }
        if (next != null) {
            announce(next);
        }
    }

    private Held settleLocked(TokenKey key, RestoredRecords.Entry entry) {
        TokenRefreshed readable = null;
        String plaintext = null;
        TokenRefreshed noKey = null;
        EncryptionException noKeyCause = null;
        TokenRetired retired = null;
        for (RestoredRecords.Candidate candidate : entry.byVersionDescending()) {
            if (readable != null || retired != null || noKey != null && candidate.version() == noKey.version()) {
                olderVersionsIgnored.incrementAndGet();
                continue;
            }
            Verification verification = verifier.verify(candidate.raw(), key.asString());
            if (!verification.isVerified()) {
                rejected(key, candidate.version(), verification, candidate.partition(), candidate.offset());
                continue;
            }
            if (candidate.retired() != null) {
                // Retired after every version below it; a newer one this service cannot read stays NO_KEY.
                retired = noKey == null ? candidate.retired() : null;
                if (retired == null) {
                    olderVersionsIgnored.incrementAndGet();
                }
                continue;
            }
            TokenRefreshed event = candidate.event();
            try {
                plaintext = encryption.reveal(event);
                readable = event;
            } catch (EncryptionException e) {
                if (e.problem() != EncryptionException.Problem.NO_KEY) {
                    unreadable(null, event, e);
                } else if (noKey == null) {
                    noKey = event;
                    noKeyCause = e;
                } else {
                    olderVersionsIgnored.incrementAndGet();
                }
            }
        }
        if (retired != null) {
            held.put(key, Held.removed(key, retired.version()));
            tombstones.incrementAndGet();
            return null;
        }
        Held next = null;
        if (readable != null) {
            next = Held.of(readable, plaintext, staleGraceMillis);
            held.put(key, next);
            versionsApplied.incrementAndGet();
        }
        if (noKey != null) {
            unreadable(next, noKey, noKeyCause);
        }
        return next;
    }

    private void rejected(TokenKey key, long version, Verification verification, int partition, long offset) {
        rejections.incrementAndGet(verification.verdict().ordinal());
        log.warn(
                "refused token record key={} version={} partition={} offset={} verdict={} kid=\"{}\" detail=\"{}\"",
                key,
                version,
                partition,
                offset,
                verification.verdict(),
                verification.kid() == null ? "" : LogText.of(verification.kid(), 64),
                verification.detail());
    }

    private boolean unreadable(Held current, TokenRefreshed event, EncryptionException e) {
        TokenKey key = event.tokenKey();
        String kid = RecordEncryption.kid(event).orElse("?");
        if (e.problem() != EncryptionException.Problem.NO_KEY) {
            // Tampered, moved or malformed: not a version at all. Skipped like any record breaking the contract.
            malformedSkipped.incrementAndGet();
            log.warn(
                    "skipped undecryptable token version key={} version={} kid={} problem={} detail=\"{}\"",
                    key,
                    event.version(),
                    kid,
                    e.problem(),
                    e.getMessage());
            return false;
        }
        Held.Unreadable unreadable = new Held.Unreadable(event.version(), kid, e.getMessage());
        boolean readable = current != null && !current.isRemoved() && current.token() != null;
        held.put(
                key,
                readable ? current.withUnreadable(unreadable) : Held.unreadable(event, unreadable, staleGraceMillis));
        // Once per key and kid, not per version: a service outside a tenant's scope sees all its versions.
        if (current == null
                || current.unreadable() == null
                || !current.unreadable().kid().equals(kid)) {
            log.info(
                    "token not readable here key={} version={} kid={} state=NO_KEY serving={} cause=\"{}\"",
                    key,
                    event.version(),
                    kid,
                    readable ? "v" + current.version() : "nothing",
                    e.getMessage());
        }
        return false;
    }

    /** Removes the key (a tombstone); returns whether it was held. */
    boolean remove(TokenKey key) {
        Held current = held.get(key);
        if (current == null || current.isRemoved()) {
            return false;
        }
        held.put(key, Held.removed(key, current.version()));
        tombstones.incrementAndGet();
        log.info("token removed key={} lastVersion={}", key, current.version());
        for (TokenChangeListener listener : listeners) {
            notify(listener, key, () -> listener.tokenRemoved(key));
        }
        return true;
    }

    /** The reader thread failed; the view keeps serving what it holds and says so until it reads again. */
    void readerFailed() {
        readerAlive = false;
        readerFailures.incrementAndGet();
    }

    /** The reader thread read again after a failure; returns whether it had been failing. */
    boolean readerResumed() {
        if (readerAlive) {
            return false;
        }
        readerAlive = true;
        return true;
    }

    synchronized void markReady() {
        ready = true;
        notifyAll();
        if (verifier != null && backgroundVerifiers > 0) {
            restored.settleInBackground(this::settle, backgroundVerifiers, source);
        }
    }

    /** How many threads verify restored keys once ready; 0: only first reads do (tests of that path). */
    TokenTable backgroundVerifiers(int threads) {
        this.backgroundVerifiers = threads;
        return this;
    }

    /** Stops verifying restored keys in the background (the view is closing). */
    void stopBackground() {
        restored.stop();
    }

    void markNotReady() {
        ready = false;
    }

    void failWaiters(RuntimeException cause) {
        nextVersions.failAll(cause);
    }

    Instant now() {
        return clock.instant();
    }

    private static void notify(TokenChangeListener listener, TokenKey key, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.warn(
                    "token listener failed key={} listener={} cause={}",
                    key,
                    listener.getClass().getName(),
                    e.toString());
        }
    }
}
