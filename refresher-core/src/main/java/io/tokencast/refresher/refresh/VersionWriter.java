package io.tokencast.refresher.refresh;

import static io.tokencast.refresher.refresh.RefreshOutcome.Result.REFRESHED;
import static io.tokencast.refresher.refresh.RefreshOutcome.Result.STALE;

import io.tokencast.refresher.metrics.RefreshMetrics;
import io.tokencast.refresher.policy.RefreshPolicy;
import io.tokencast.refresher.signing.SignedEvent;
import io.tokencast.refresher.store.StoredToken;
import io.tokencast.refresher.store.TokenStore;
import io.tokencast.refresher.wechat.FetchedToken;
import io.tokencast.refresher.wechat.ManagedCredential;
import io.tokencast.schema.AttemptOutcome;
import io.tokencast.schema.RefreshReason;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.trust.encryption.RecordEncryption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a token fetched from WeChat the key's next version: seals it for the fleet, signs it, compare-and-sets
 * it into Redis, publishes it and audits it. Apart from {@link Refresher}, which decides whether to fetch,
 * because what happens after the fetch has rules of its own: a token WeChat handed back unchanged or about to
 * die is no new version, and a refused compare-and-set is either another writer's win or a broken record.
 * Runs under the key's lock.
 */
final class VersionWriter {

    private static final Logger log = LoggerFactory.getLogger(VersionWriter.class);

    private final TokenStore store;
    private final RefreshPolicy policy;
    private final Publication publication;
    private final AuditTrail audit;
    private final RefreshMetrics metrics;
    private final Clock clock;
    private final String instanceId;
    private final Retries retries;
    private final FleetSealing sealing;
    private final WriteFailures writeFailures;

    VersionWriter(
            TokenStore store,
            RefreshPolicy policy,
            Publication publication,
            AuditTrail audit,
            RefreshMetrics metrics,
            Clock clock,
            String instanceId,
            Retries retries,
            FleetSealing sealing,
            WriteFailures writeFailures) {
        this.store = store;
        this.policy = policy;
        this.publication = publication;
        this.audit = audit;
        this.metrics = metrics;
        this.clock = clock;
        this.instanceId = instanceId;
        this.retries = retries;
        this.sealing = sealing;
        this.writeFailures = writeFailures;
    }

    /** Writes {@code fetched} over {@code stored}, the version read under the key's lock. */
    RefreshOutcome write(
            ManagedCredential credential,
            StoredToken stored,
            FetchedToken fetched,
            RefreshReason reason,
            CommandContext command,
            Duration took) {
        TokenKey key = credential.key();
        String fingerprint = fetched.fingerprint();
        if (fingerprint.equals(stored.fingerprint())) {
            return retries.unchanged(credential, stored, fetched, reason, command, took);
        }
        if (Duration.between(clock.instant(), fetched.expiresAt()).compareTo(TokenStore.MAX_SAFETY_MARGIN) <= 0) {
            // The dying token WeChat still hands out (WeCom does until expiry; stable before it rotates) after
            // Redis already forgot it: publishing would give consumers seconds, and every tick would mint
            // another version of it. Wait for its successor instead.
            return retries.unchanged(credential, stored, fetched, reason, command, took);
        }
        Instant next = policy.nextRefreshAt(key, credential.api(), fetched.fetchedAt(), fetched.expiresAt());
        // Sealed once, here: Redis, the topic, recovery and re-publication all carry this one ciphertext.
        TokenRefreshed event = sealing.seal(
                stored.token(),
                TokenRefreshed.of(
                        key,
                        stored.version() + 1,
                        fetched.token(),
                        fetched.fetchedAt(),
                        fetched.expiresAt(),
                        next,
                        reason,
                        instanceId,
                        command == null ? null : command.commandId()));
        String kid = RecordEncryption.kid(event).orElse(null);
        SignedEvent<TokenRefreshed> signed = publication.sign(event);
        if (!store.compareAndSet(signed, stored.version())) {
            return refused(credential, stored, event, fingerprint, reason, command, took);
        }
        if (stored.retry() != null) {
            store.clearRetry(key);
        }
        metrics.alert(key, false);
        publication.publish(signed);
        audit.record(AuditTrail.Entry.of(key, AttemptOutcome.REFRESHED, reason, command)
                .token(event.version(), fingerprint, stored.fingerprint())
                .kid(kid)
                .took(took));
        log.info(
                "refreshed key={} version={} fingerprint={} kid={} reason={} expiresAt={} nextRefreshAt={}"
                        + " refresher={}",
                key,
                event.version(),
                fingerprint,
                kid,
                reason,
                event.expiresAt(),
                next,
                instanceId);
        return new RefreshOutcome(key, REFRESHED, event.version(), fingerprint, null);
    }

    /** Redis refused the compare-and-set: another writer stored a version first, or Redis holds a broken one. */
    private RefreshOutcome refused(
            ManagedCredential credential,
            StoredToken stored,
            TokenRefreshed event,
            String fingerprint,
            RefreshReason reason,
            CommandContext command,
            Duration took) {
        TokenKey key = credential.key();
        StoredToken winner = store.read(key);
        if (!WriteFailures.anotherWriterWon(stored, winner)) {
            // Nothing newer is readable, yet Redis refused: a forged or broken version in Redis. Fetching
            // again cannot help; rest the key so it costs at most one fetch per rest (issue 14).
            writeFailures.rejected(key, clock.instant());
            return retries.failed(credential, winner, reason, command, WriteFailures.refused(event, winner), took);
        }
        log.warn(
                "stale write dropped key={} version={} winnerVersion={} fingerprint={}",
                key,
                event.version(),
                winner.version(),
                fingerprint);
        audit.record(AuditTrail.Entry.of(key, AttemptOutcome.SKIPPED, reason, command)
                .token(event.version(), fingerprint, stored.fingerprint())
                .error(Refresher.VERSION_CONFLICT, "another writer stored version " + winner.version() + " first")
                .took(took));
        return RefreshOutcome.of(winner, STALE, Refresher.VERSION_CONFLICT);
    }
}
