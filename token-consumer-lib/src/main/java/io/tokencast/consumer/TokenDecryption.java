package io.tokencast.consumer;

import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.trust.encryption.EncryptionException;
import io.tokencast.trust.encryption.RecordEncryption;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a version into what a {@link TokenTable} holds, decrypting its token once, when it is applied (docs/design.md
 * §5, "Encryption"): a servable {@link Held}, a {@link TokenState#NO_KEY} one when this service holds no key for
 * it, or nothing when the ciphertext is tampered, moved or malformed.
 */
final class TokenDecryption {

    private static final Logger log = LoggerFactory.getLogger(TokenTable.class);

    private final RecordEncryption encryption;
    private final long staleGraceMillis;
    private final TableCounters counters;

    TokenDecryption(RecordEncryption encryption, long staleGraceMillis, TableCounters counters) {
        this.encryption = Objects.requireNonNull(encryption, "encryption");
        this.staleGraceMillis = staleGraceMillis;
        this.counters = counters;
    }

    /** The plaintext token of {@code event}; throws when this service cannot reveal it. */
    String reveal(TokenRefreshed event) throws EncryptionException {
        return encryption.reveal(event);
    }

    /** {@code event} held with its revealed token. */
    Held readable(TokenRefreshed event, String plaintext) {
        return Held.of(event, plaintext, staleGraceMillis);
    }

    /**
     * What to hold after {@code event} failed to decrypt, or null to hold nothing new. No key: the key reports
     * {@link TokenState#NO_KEY}, still serving {@code current}'s token if it has one (a version this service cannot
     * read never displaces a readable one). Any other problem: the record is no version at all, skipped and
     * counted like any record breaking the contract.
     */
    Held unreadable(Held current, TokenRefreshed event, EncryptionException e) {
        TokenKey key = event.tokenKey();
        String kid = RecordEncryption.kid(event).orElse("?");
        if (e.problem() != EncryptionException.Problem.NO_KEY) {
            counters.malformedSkipped.incrementAndGet();
            log.warn(
                    "skipped undecryptable token version key={} version={} kid={} problem={} detail=\"{}\"",
                    key,
                    event.version(),
                    kid,
                    e.problem(),
                    e.getMessage());
            return null;
        }
        Held.Unreadable unreadable = new Held.Unreadable(event.version(), kid, e.getMessage());
        boolean readable = current != null && !current.isRemoved() && current.token() != null;
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
        return readable ? current.withUnreadable(unreadable) : Held.unreadable(event, unreadable, staleGraceMillis);
    }
}
