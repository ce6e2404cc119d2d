package io.tokencast.refresher.refresh;

import io.tokencast.refresher.leader.KeyLocks;
import io.tokencast.refresher.publish.EventPublisher;
import io.tokencast.refresher.signing.RecordSigning;
import io.tokencast.refresher.store.StoredToken;
import io.tokencast.refresher.store.TokenStore;
import io.tokencast.schema.AttemptOutcome;
import io.tokencast.schema.Ranges;
import io.tokencast.schema.RefreshReason;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRetired;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a retired credential off the tokens topic: under the key's lock, forgets its token in Redis and
 * publishes a signed {@code TokenRetired} above its last version, then a tombstone so compaction can forget the
 * key (docs/design.md §5), so consumers stop serving a token whose authorization is gone instead of reporting it
 * stale until it expires. The version floor stays in Redis:
 * should the credential come back, its versions continue above the removed one. Audited as {@code SKIPPED}
 * with error code {@code RETIRED}. Thread-safe.
 */
public final class Retirement {

    private static final Logger log = LoggerFactory.getLogger(Retirement.class);

    /** Tokencast's error code on the audit topic for a retired credential. */
    static final String RETIRED = "RETIRED";

    /** The {@code requestedBy} of a retirement because the authorizer cancelled tokencast's authorization. */
    public static final String BY_UNAUTHORIZATION = "open-platform-unauthorized";

    /** What came of one {@link #retire} call. */
    public enum Result {
        /** The token was forgotten and the tombstone published. */
        REMOVED,
        /** The credential was registered again meanwhile; nothing was removed. */
        KEPT,
        /** A refresh of the key holds its lock; try again when it is done, so the tombstone comes last. */
        LOCKED
    }

    private final TokenStore store;
    private final KeyLocks locks;
    private final EventPublisher publisher;
    private final AuditTrail audit;
    private final RecordSigning signing;
    private final Clock clock;

    /** Retirement of keys from {@code store}, tombstoned through {@code publisher} and audited. */
    public Retirement(
            TokenStore store,
            KeyLocks locks,
            EventPublisher publisher,
            AuditTrail audit,
            RecordSigning signing,
            Clock clock) {
        this.store = store;
        this.locks = locks;
        this.publisher = publisher;
        this.audit = audit;
        this.signing = signing;
        this.clock = clock;
    }

    /**
     * Removes the key's token, unless {@code stillRetired}, asked under the key's lock, answers false.
     *
     * @param command who retired it, for the audit record
     * @throws io.tokencast.refresher.publish.PublishException when the broker did not take the tombstone; Redis
     *     has forgotten the token already, so a retry publishes it again
     */
    public Result retire(TokenKey key, CommandContext command, BooleanSupplier stillRetired) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(command, "command");
        Optional<Result> result = locks.withLock(key, () -> underLock(key, command, stillRetired));
        if (result.isEmpty()) {
            log.debug("retirement waits key={} cause=key-locked-by-a-refresh", key);
        }
        return result.orElse(Result.LOCKED);
    }

    private Result underLock(TokenKey key, CommandContext command, BooleanSupplier stillRetired) {
        if (!stillRetired.getAsBoolean()) {
            log.info("retirement dropped key={} cause=registered-again", key);
            return Result.KEPT;
        }
        StoredToken stored = store.read(key);
        // Above every version of the key, so no older record replayed after it brings the key back.
        long version = Math.min(stored.version() + 1, Ranges.MAX_VERSION);
        TokenRetired retired = TokenRetired.ofToken(key, version, clock.instant(), reason(command));
        // A refresh that held the lock before has published its version by now: the retirement comes after it.
        store.remove(key, version);
        publisher.retire(signing.sign(retired));
        audit.record(AuditTrail.Entry.of(key, AttemptOutcome.SKIPPED, RefreshReason.MANUAL, command)
                .token(stored.version() == 0 ? null : stored.version(), null, stored.fingerprint())
                .error(
                        RETIRED,
                        "the credential was retired; TokenRetired v" + version + " and a tombstone follow its"
                                + " last version on the tokens topic"));
        log.info(
                "token removed key={} lastVersion={} fingerprint={} requestedBy={}",
                key,
                stored.version(),
                stored.fingerprint(),
                command.requestedBy());
        return Result.REMOVED;
    }

    private static String reason(CommandContext command) {
        return BY_UNAUTHORIZATION.equals(command.requestedBy()) ? TokenRetired.UNAUTHORIZED : TokenRetired.REMOVED;
    }
}
