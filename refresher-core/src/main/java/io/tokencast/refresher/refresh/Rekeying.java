package io.tokencast.refresher.refresh;

import static io.tokencast.refresher.refresh.RefreshOutcome.Result.COALESCED;
import static io.tokencast.refresher.refresh.RefreshOutcome.Result.REFRESHED;
import static io.tokencast.refresher.refresh.RefreshOutcome.Result.REJECTED;
import static io.tokencast.refresher.refresh.RefreshOutcome.Result.STALE;

import io.tokencast.refresher.encryption.KeyGate;
import io.tokencast.refresher.signing.SignedEvent;
import io.tokencast.refresher.store.StoredToken;
import io.tokencast.refresher.store.TokenStore;
import io.tokencast.schema.AttemptOutcome;
import io.tokencast.schema.RefreshReason;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.trust.encryption.EncryptionException;
import io.tokencast.trust.encryption.RecordEncryption;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Key rotation for one key (docs/operations.md §3.3, and for encryption docs/operations.md §3.4): the current token, unchanged (same token, same
 * fingerprint, same expiry), re-published as the next version under the newest encryption key of its scope and
 * signed with the refresher's signing key, reason {@code REKEYED}, when Redis holds it under an older kid of
 * either. Never calls WeChat, so it costs no quota and never shortens a token's life. Runs
 * under the key's lock, like a refresh.
 */
public final class Rekeying {

    /**
     * Re-keys what belongs to a token key besides its token: the open platform's verify ticket and authorizer
     * refresh token, which live in the credential vault.
     */
    public interface Companions {

        /** No companions: the refresher manages no open-platform account. */
        Companions NONE = key -> {};

        /**
         * Re-publishes {@code key}'s companion credentials under the newest encryption kid and the refresher's
         * signing kid, if they are not already.
         */
        void rekey(TokenKey key);
    }

    private static final Logger log = LoggerFactory.getLogger(Rekeying.class);

    static final String ENCRYPTION_OFF = "ENCRYPTION_OFF";
    static final String NO_TOKEN = "NO_TOKEN";
    static final String ALREADY_CURRENT_KEY = "ALREADY_CURRENT_KEY";
    static final String UNREADABLE = "UNREADABLE";
    static final String KEY_NOT_HELD = "KEY_NOT_HELD";

    private final TokenStore store;
    private final Publication publication;
    private final AuditTrail audit;
    private final RecordEncryption encryption;
    private final KeyGate keyGate;
    private final Clock clock;
    private final String instanceId;
    private final Companions companions;

    Rekeying(
            TokenStore store,
            Publication publication,
            AuditTrail audit,
            RecordEncryption encryption,
            KeyGate keyGate,
            Clock clock,
            String instanceId,
            Companions companions) {
        this.keyGate = keyGate;
        this.companions = companions;
        this.store = store;
        this.publication = publication;
        this.audit = audit;
        this.encryption = encryption;
        this.clock = clock;
        this.instanceId = instanceId;
    }

    /**
     * Re-keys {@code key} and its companion credentials; the caller holds the key's lock. Every call is audited
     * once.
     */
    RefreshOutcome underLock(TokenKey key, CommandContext command) {
        RefreshOutcome outcome = token(key, command);
        // The credentials decide for themselves: each is written again only when its kids are not the newest.
        companions.rekey(key);
        return outcome;
    }

    private RefreshOutcome token(TokenKey key, CommandContext command) {
        StoredToken stored = store.read(key);
        TokenRefreshed current = stored.token();
        Optional<String> newest = encryption.writeKid(key.asString());
        if (encryption.enabled() && newest.isEmpty()) {
            return refuse(stored, command, ENCRYPTION_OFF, "no scope of the encryption keyring matches");
        }
        if (!encryption.enabled() && publication.signingKid().isEmpty()) {
            return refuse(stored, command, ENCRYPTION_OFF, "encryption and signing are off: no key to rotate to");
        }
        if (current == null || !current.expiresAt().isAfter(clock.instant())) {
            return refuse(
                    stored, command, NO_TOKEN, "no current token to re-key; the next refresh uses the newest keys");
        }
        String kid = newest.orElse(null);
        boolean reencrypt = kid != null
                && !RecordEncryption.kid(current).filter(kid::equals).isPresent();
        if (!reencrypt && !publication.needsResigning(stored.signedBy())) {
            audit.record(AuditTrail.Entry.of(key, AttemptOutcome.COALESCED, RefreshReason.REKEYED, command)
                    .token(current.version(), current.fingerprint(), null)
                    .kid(kid)
                    .error(ALREADY_CURRENT_KEY, "the current version is already " + keys(kid, stored.signedBy())));
            return RefreshOutcome.of(stored, COALESCED, ALREADY_CURRENT_KEY);
        }
        List<String> unable = reencrypt ? keyGate.unableToRead(key.asString(), kid) : List.of();
        if (!unable.isEmpty()) {
            // docs/security.md §5.3: a key is promoted only once every live consumer covering the key holds it.
            return refuse(
                    stored,
                    command,
                    KEY_NOT_HELD,
                    "live consumers cannot read " + kid + " yet: " + String.join(", ", unable)
                            + "; distribute the key to them first, or override with"
                            + " tokencast.encryption.promote-unconfirmed-keys=true");
        }
        String token;
        try {
            token = encryption.reveal(current);
        } catch (EncryptionException e) {
            return refuse(stored, command, UNREADABLE, e.getMessage());
        }
        TokenRefreshed plain = new TokenRefreshed(
                UUID.randomUUID(),
                key,
                key.kind(),
                key.account(),
                stored.version() + 1,
                token,
                null,
                current.fingerprint(),
                current.issuedAt(),
                current.expiresAt(),
                current.nextRefreshAt(),
                RefreshReason.REKEYED,
                instanceId,
                command.commandId());
        // A new version carries a new identity in its JWE header: sealed again even under the same kid.
        TokenRefreshed next = kid == null ? plain : encryption.seal(plain, kid);
        SignedEvent<TokenRefreshed> signed = publication.sign(next);
        if (!store.compareAndSet(signed, stored.version())) {
            return refuse(store.read(key), command, Refresher.VERSION_CONFLICT, "another writer stored a version first")
                    .withResult(STALE);
        }
        publication.publish(signed);
        audit.record(AuditTrail.Entry.of(key, AttemptOutcome.REFRESHED, RefreshReason.REKEYED, command)
                .token(next.version(), next.fingerprint(), current.fingerprint())
                .kid(kid));
        log.info(
                "rekeyed key={} version={} fingerprint={} kid={} previousKid={} signedBy={} previousSignedBy={}"
                        + " refresher={}",
                key,
                next.version(),
                next.fingerprint(),
                kid == null ? "plaintext" : kid,
                RecordEncryption.kid(current).orElse("plaintext"),
                publication.signingKid().orElse("unsigned"),
                stored.signedBy() == null ? "unsigned" : stored.signedBy(),
                instanceId);
        return new RefreshOutcome(key, REFRESHED, next.version(), next.fingerprint(), null);
    }

    private static String keys(String kid, String signedBy) {
        return (kid == null ? "in plaintext" : "encrypted under " + kid) + " and "
                + (signedBy == null ? "unsigned" : "signed with " + signedBy);
    }

    private RefreshOutcome refuse(StoredToken stored, CommandContext command, String code, String message) {
        log.info("rekey refused key={} errorCode={} message={}", stored.key(), code, message);
        audit.record(AuditTrail.Entry.of(stored.key(), AttemptOutcome.REJECTED, RefreshReason.REKEYED, command)
                .token(stored.version() == 0 ? null : stored.version(), stored.fingerprint(), null)
                .error(code, message));
        return RefreshOutcome.of(stored, REJECTED, code);
    }
}
