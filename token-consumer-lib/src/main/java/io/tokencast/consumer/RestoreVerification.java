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
import java.util.List;
import java.util.function.Consumer;

/**
 * Deferred verification of the records a {@link TokenTable} read at cold start (docs/design.md §5, "When to
 * verify"): they wait unverified in {@link RestoredRecords}, and each key is settled exactly once, in the background
 * or by its first read, whichever comes first, before the reader may touch the key again.
 */
final class RestoreVerification {

    private final RestoredRecords restored = new RestoredRecords();
    private final RecordInterpreter<TokenKey, TokenRefreshed> interpreter;
    private final TokenDecryption decryption;
    private final TableCounters counters;
    // Half the cores: the other half stays with the topic reader and the service's own first reads.
    private volatile int backgroundVerifiers = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);

    RestoreVerification(
            RecordInterpreter<TokenKey, TokenRefreshed> interpreter,
            TokenDecryption decryption,
            TableCounters counters) {
        this.interpreter = interpreter;
        this.decryption = decryption;
        this.counters = counters;
    }

    /**
     * A version or a removal read while restoring, as the interpreter decoded it: kept unverified, and verified
     * later with the key's other last records.
     */
    void defer(Interpretation<TokenKey, TokenRefreshed> read) {
        TokenKey key = read instanceof Version<TokenKey, TokenRefreshed> version
                ? version.key()
                : ((Retired<TokenKey, TokenRefreshed>) read).key();
        restored.add(key, new RestoredRecords.Candidate(read));
    }

    boolean contains(TokenKey key) {
        return restored.contains(key);
    }

    /** Keys whose records still wait for their check. */
    int pending() {
        return restored.size();
    }

    List<TokenKey> keys() {
        return restored.keys();
    }

    /**
     * Settles {@code key} if its records wait: chooses what it holds and passes that to {@code hold} under the
     * key's lock, exactly once whoever calls first. Returns what was held, or null when nothing was.
     */
    Held settle(TokenKey key, Consumer<Held> hold) {
        RestoredRecords.Entry entry = restored.get(key);
        if (entry == null) {
            return null;
        }
        synchronized (entry) {
            if (entry.settled) {
                return null;
            }
            Held next = choose(key, entry.byVersionDescending());
            if (next != null) {
                hold.accept(next);
            }
            entry.settled = true;
            // After the hold: whoever no longer finds the entry finds the held version.
            restored.remove(key, entry);
            return next;
        }
    }

    /**
     * Verifies {@code candidates} from the highest version down, falling back to the next when one fails, and
     * returns the first that verifies and decrypts (behind a verified newer one this service cannot decrypt, if
     * any: that one reports {@link TokenState#NO_KEY}), a removal for a verified retirement newer than every
     * readable version, or null when none verifies.
     */
    private Held choose(TokenKey key, List<RestoredRecords.Candidate> candidates) {
        TokenRefreshed readable = null;
        String plaintext = null;
        TokenRefreshed noKey = null;
        EncryptionException noKeyCause = null;
        TokenRetired retired = null;
        for (RestoredRecords.Candidate candidate : candidates) {
            if (readable != null || retired != null || noKey != null && candidate.version() == noKey.version()) {
                counters.olderVersionsIgnored.incrementAndGet();
                continue;
            }
            Interpretation<TokenKey, TokenRefreshed> checked = interpreter.verify(candidate.read());
            if (checked instanceof Rejected<TokenKey, TokenRefreshed> rejected) {
                counters.rejected(
                        key, candidate.version(), rejected.verification(), candidate.partition(), candidate.offset());
                continue;
            }
            if (checked instanceof Retired<TokenKey, TokenRefreshed> retirement) {
                // Retired after every version below it; a newer one this service cannot read stays NO_KEY.
                retired = noKey == null ? retirement.event() : null;
                if (retired == null) {
                    counters.olderVersionsIgnored.incrementAndGet();
                }
                continue;
            }
            TokenRefreshed event = ((Version<TokenKey, TokenRefreshed>) checked).event();
            try {
                plaintext = decryption.reveal(event);
                readable = event;
            } catch (EncryptionException e) {
                if (e.problem() != EncryptionException.Problem.NO_KEY) {
                    decryption.unreadable(null, event, e);
                } else if (noKey == null) {
                    noKey = event;
                    noKeyCause = e;
                } else {
                    counters.olderVersionsIgnored.incrementAndGet();
                }
            }
        }
        if (retired != null) {
            counters.tombstones.incrementAndGet();
            return Held.removed(key, retired.version());
        }
        Held next = null;
        if (readable != null) {
            next = decryption.readable(readable, plaintext);
            counters.versionsApplied.incrementAndGet();
        }
        return noKey == null ? next : decryption.unreadable(next, noKey, noKeyCause);
    }

    /** Settles every waiting key in the background, once the view is ready (until then the reader adds to them). */
    void settleInBackground(Consumer<TokenKey> settle, String source) {
        if (backgroundVerifiers > 0) {
            restored.settleInBackground(settle, backgroundVerifiers, source);
        }
    }

    /** How many threads verify restored keys once ready; 0: only first reads do (tests of that path). */
    void backgroundVerifiers(int threads) {
        this.backgroundVerifiers = threads;
    }

    /** Stops verifying restored keys in the background (the view is closing). */
    void stop() {
        restored.stop();
    }
}
