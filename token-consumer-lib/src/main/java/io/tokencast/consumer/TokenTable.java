package io.tokencast.consumer;

import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.trust.encryption.RecordEncryption;
import io.tokencast.trust.records.Interpretation;
import io.tokencast.trust.records.Interpretation.Retired;
import io.tokencast.trust.records.Interpretation.Tombstone;
import io.tokencast.trust.records.Interpretation.Version;
import io.tokencast.trust.records.RecordInterpreter;
import io.tokencast.trust.signing.RecordVerifier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The tokens a view holds, newest version per key. One writer (the reader thread, or a test) applies
 * changes; any number of readers look tokens up without locks: a lookup is one concurrent-map read of an
 * immutable {@link Held} plus a comparison against {@link Clock#millis()}.
 *
 * <p>With a {@link RecordVerifier}, nothing unverified is ever held: a record arriving while the view is live is
 * verified before it can replace anything; records read at cold start wait in {@link RestoreVerification} and are
 * verified once, in the background or by the first read of their key (the only writer besides the reader,
 * under that key's lock, before the reader may touch the key again). {@link TokenDecryption} decrypts each
 * version once, when it is applied.
 */
final class TokenTable {

    private final TableCounters counters = new TableCounters();
    private final TokenChanges changes = new TokenChanges();
    private final Clock clock;
    private final String source;
    private final ReadFailures failures;
    private final HeldTokens held;
    private final int maxKeys;
    private final SignatureVerification signatures;
    private final RecordInterpreter<TokenKey, TokenRefreshed> interpreter;
    private final Readiness readiness = new Readiness();

    /** @param source names where tokens come from in messages, e.g. {@code topic 'tokencast.tokens'} */
    TokenTable(Clock clock, Duration staleGrace, String source) {
        this(clock, staleGrace, source, RecordEncryption.off(), Integer.MAX_VALUE, null);
    }

    /**
     * @param encryption decrypts each version once, when it is applied
     * @param maxKeys most keys held; the reader skips records of further keys ({@link #overKeyCap})
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
        this.signatures = SignatureVerification.of(verifier);
        this.interpreter = RecordInterpreter.tokens(verifier);
        this.maxKeys = maxKeys;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.source = source;
        this.failures = new ReadFailures(source);
        TokenDecryption decryption = new TokenDecryption(encryption, staleGrace.toMillis(), counters);
        this.held = new HeldTokens(counters, changes, decryption, interpreter, readiness::isReady);
    }

    Clock clock() {
        return clock;
    }

    Token token(TokenKey key) {
        Objects.requireNonNull(key, "key");
        if (!readiness.isReady()) {
            throw failures.notReady(key, counters.recordsRead.get());
        }
        Held current = held.get(key);
        if (current == null) {
            current = settled(key);
        }
        if (current == null) {
            throw failures.unknown(key, held.size(), interpreter.verifies(), counters.rejected());
        }
        if (current.isRemoved()) {
            throw failures.removed(current);
        }
        if (current.token() == null) {
            throw failures.noKey(current);
        }
        if (clock.millis() >= current.expiresAtMillis()) {
            throw current.unreadable() == null ? failures.expired(current) : failures.noKey(current);
        }
        return current.token();
    }

    Optional<Token> find(TokenKey key) {
        Objects.requireNonNull(key, "key");
        Held current = held.get(key);
        if (current == null && readiness.isReady()) {
            current = settled(key);
        }
        if (!readiness.isReady()
                || current == null
                || current.token() == null
                || clock.millis() >= current.expiresAtMillis()) {
            return Optional.empty();
        }
        return Optional.of(current.token());
    }

    TokenState state(TokenKey key) {
        Objects.requireNonNull(key, "key");
        Held current = held.get(key);
        if (current == null && readiness.isReady()) {
            current = settled(key);
        }
        return !readiness.isReady() || current == null ? TokenState.ABSENT : current.state(clock.millis());
    }

    Set<TokenKey> keys() {
        settleAll();
        return held.keys();
    }

    Map<TokenKey, TokenRefreshed> snapshot() {
        settleAll();
        return held.snapshot();
    }

    ConsumerStats stats() {
        return counters.stats(
                readiness.isReady(),
                held.live(),
                readiness.readerAlive(),
                held.restored().pending());
    }

    boolean isReady() {
        return readiness.isReady();
    }

    void awaitReady(Duration timeout, String hint) {
        readiness.await(
                timeout,
                () -> failures.notReadyAfter(timeout, counters.recordsRead.get(), hint),
                failures::interrupted);
    }

    /** The version held for {@code key} (also after removal), 0 when none was ever held. */
    long heldVersion(TokenKey key) {
        return held.version(key);
    }

    /**
     * A future completed with the first servable version newer than {@code rejected}, whatever its token: the
     * test double's contract, which adapters built on it (WxJava) answer by reporting again.
     */
    CompletableFuture<Token> nextVersion(Token rejected) {
        return changes.nextVersion(rejected, () -> held.token(rejected.key()));
    }

    /**
     * A future completed with the first servable version newer than {@code rejected} that carries another
     * token (another fingerprint); already complete when the view holds one.
     */
    CompletableFuture<Token> nextToken(Token rejected) {
        return changes.nextToken(rejected, () -> held.token(rejected.key()));
    }

    void addListener(TokenChangeListener listener) {
        changes.addListener(listener);
    }

    void removeListener(TokenChangeListener listener) {
        changes.removeListener(listener);
    }

    SignatureVerification signatureVerification() {
        return signatures;
    }

    /**
     * Reads and verifies records of the tokens topic as the refresher and the CLI do; it {@linkplain
     * RecordInterpreter#verifies verifies} when records are checked against the refresher's keys before they are held.
     */
    RecordInterpreter<TokenKey, TokenRefreshed> interpreter() {
        return interpreter;
    }

    void countRead() {
        counters.recordsRead.incrementAndGet();
    }

    void countMalformed() {
        counters.malformedSkipped.incrementAndGet();
    }

    /** Whether a record of {@code key} would be refused because the view holds its most keys already. */
    boolean overKeyCap(TokenKey key) {
        return held.overKeyCap(key, maxKeys);
    }

    boolean apply(TokenRefreshed event) {
        return held.apply(event);
    }

    boolean applyVerified(Version<TokenKey, TokenRefreshed> version) {
        return held.applyVerified(version);
    }

    /** A version or removal read while restoring: kept unverified, verified later with the key's last records. */
    void defer(Interpretation<TokenKey, TokenRefreshed> read) {
        held.restored().defer(read);
    }

    boolean retire(Retired<TokenKey, TokenRefreshed> retired) {
        return held.retire(retired);
    }

    void ignoreTombstone(Tombstone<TokenKey, TokenRefreshed> tombstone) {
        held.ignoreTombstone(tombstone.key(), tombstone.partition(), tombstone.offset());
    }

    /** Removes the key (a tombstone); returns whether it was held. */
    boolean remove(TokenKey key) {
        return held.remove(key);
    }

    /** Verifies the records {@code key} kept at restore, once, whoever calls first (see {@link HeldTokens}). */
    void settle(TokenKey key) {
        held.settle(key);
    }

    /** The held version of {@code key}, its restored records settled first if they wait; null when none. */
    private Held settled(TokenKey key) {
        if (interpreter.verifies() && readiness.isReady()) {
            held.settle(key);
        }
        return held.get(key);
    }

    /** Settles every key still waiting; only once ready (before, the reader is still adding to them). */
    private void settleAll() {
        if (interpreter.verifies() && readiness.isReady()) {
            held.settleAll();
        }
    }

    /** How many threads verify restored keys once ready; 0: only first reads do (tests of that path). */
    TokenTable backgroundVerifiers(int threads) {
        held.restored().backgroundVerifiers(threads);
        return this;
    }

    /** Stops verifying restored keys in the background (the view is closing). */
    void stopBackground() {
        held.restored().stop();
    }

    /** The reader thread failed; the view keeps serving what it holds and says so until it reads again. */
    void readerFailed() {
        readiness.readerFailed();
        counters.readerFailures.incrementAndGet();
    }

    /** The reader thread read again after a failure; returns whether it had been failing. */
    boolean readerResumed() {
        return readiness.readerResumed();
    }

    void markReady() {
        readiness.markReady();
        if (interpreter.verifies()) {
            held.restored().settleInBackground(this::settle, source);
        }
    }

    /** Lays the held versions out together, once settled ({@link HeldTokens#compactOnceSettled()}). */
    void compactWhenSettled() {
        held.compactOnceSettled();
    }

    /** Not ready again: {@code FakeTokenView.notReady()}, a test double's state. */
    void markNotReady() {
        readiness.markNotReady();
    }

    void failWaiters(RuntimeException cause) {
        changes.failWaiters(cause);
    }

    Instant now() {
        return clock.instant();
    }
}
