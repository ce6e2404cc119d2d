package io.tokencast.refresher.refresh;

import static io.tokencast.refresher.refresh.RefreshOutcome.Result.COALESCED;
import static io.tokencast.refresher.refresh.RefreshOutcome.Result.NOT_DUE;
import static io.tokencast.refresher.refresh.RefreshOutcome.Result.NOT_READY;
import static io.tokencast.refresher.refresh.RefreshOutcome.Result.REJECTED;

import io.tokencast.refresher.config.CredentialCatalog;
import io.tokencast.refresher.encryption.KeyGate;
import io.tokencast.refresher.leader.KeyLocks;
import io.tokencast.refresher.metrics.RefreshMetrics;
import io.tokencast.refresher.policy.RefreshPolicy;
import io.tokencast.refresher.quota.QuotaGuard;
import io.tokencast.refresher.store.StoredToken;
import io.tokencast.refresher.store.TokenStore;
import io.tokencast.refresher.wechat.CredentialSource;
import io.tokencast.refresher.wechat.FetchMode;
import io.tokencast.refresher.wechat.FetchedToken;
import io.tokencast.refresher.wechat.ManagedCredential;
import io.tokencast.refresher.wechat.WeChatApi;
import io.tokencast.refresher.wechat.WeChatException;
import io.tokencast.schema.AttemptOutcome;
import io.tokencast.schema.Ranges;
import io.tokencast.schema.RefreshReason;
import io.tokencast.schema.TokenKey;
import io.tokencast.trust.encryption.RecordEncryption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refreshes one key now: lock the key across replicas, re-read Redis, ask the quota guard, fetch from
 * WeChat, then hand the token to {@link VersionWriter}, which compare-and-sets the next version into Redis,
 * publishes it and audits the attempt. The scheduler calls it for due keys; the admin topic calls it for manual
 * and invalid-token refreshes. Thread-safe.
 */
public final class Refresher {

    private static final Logger log = LoggerFactory.getLogger(Refresher.class);

    /** Tokencast's own error codes on the audit topic. */
    static final String QUOTA_EXHAUSTED = "QUOTA_EXHAUSTED";

    static final String TOKEN_UNCHANGED = "TOKEN_UNCHANGED";
    static final String VERSION_CONFLICT = "VERSION_CONFLICT";
    static final String FINGERPRINT_MISMATCH = "FINGERPRINT_MISMATCH";
    static final String UNKNOWN_KEY = "UNKNOWN_KEY";
    static final String LOCKED = "LOCKED";
    static final String NOT_RECOVERED = "NOT_RECOVERED";
    static final String NO_ENCRYPTION_SCOPE = "NO_ENCRYPTION_SCOPE";
    /** How long this replica fetches no key whose last new version Redis refused: at most 3 fetches an hour. */
    static final Duration WRITE_REJECTED_REST = Duration.ofMinutes(20);

    private final CredentialCatalog catalog;
    private final TokenStore store;
    private final KeyLocks locks;
    private final CredentialSource source;
    private final QuotaGuard quota;
    private final Publication publication;
    private final AuditTrail audit;
    private final RefreshMetrics metrics;
    private final Clock clock;
    private final String instanceId;
    private final Retries retries;
    private final FleetSealing sealing;
    private final Rekeying rekeying;
    private final WriteFailures writeFailures;
    private final VersionWriter writer;

    Refresher(
            CredentialCatalog catalog,
            TokenStore store,
            KeyLocks locks,
            CredentialSource source,
            QuotaGuard quota,
            RefreshPolicy policy,
            Publication publication,
            AuditTrail audit,
            RefreshMetrics metrics,
            Clock clock,
            String instanceId,
            Retries retries,
            RecordEncryption encryption,
            KeyGate keyGate,
            Rekeying.Companions companions) {
        this.catalog = catalog;
        this.store = store;
        this.locks = locks;
        this.source = source;
        this.quota = quota;
        this.publication = publication;
        this.audit = audit;
        this.metrics = metrics;
        this.clock = clock;
        this.instanceId = instanceId;
        this.retries = retries;
        this.sealing = new FleetSealing(encryption, keyGate);
        this.rekeying = new Rekeying(store, publication, audit, encryption, keyGate, clock, instanceId, companions);
        this.writeFailures = new WriteFailures(catalog.all().size(), WRITE_REJECTED_REST);
        this.writer = new VersionWriter(
                store, policy, publication, audit, metrics, clock, instanceId, retries, sealing, writeFailures);
    }

    /** The way to build one: a builder that takes the refresher's ports (store, locks, WeChat, quota, ...). */
    public static RefresherBuilder builder() {
        return new RefresherBuilder();
    }

    /**
     * A scheduler's builder sharing this refresher's catalog, store, locks, publication, meters, clock and
     * instance id, so that the two cannot disagree on any of them.
     */
    RefreshSchedulerBuilder schedulerBuilder() {
        return new RefreshSchedulerBuilder(this, catalog, store, locks, publication, metrics, clock, instanceId);
    }

    /**
     * Refreshes {@code key} now, unless another replica is refreshing it at this moment.
     *
     * @param reason {@code SCHEDULED} or {@code STARTUP} from the scheduler (refreshes only if still due when
     *     the key's lock is held); {@code MANUAL} or {@code INVALID_REPORTED} for commands; {@code REKEYED}
     *     (with a command) re-publishes the current token under the newest encryption and signing keys, without
     *     WeChat
     * @param command the command that asked, or null for scheduled refreshes
     */
    public RefreshOutcome refresh(TokenKey key, RefreshReason reason, CommandContext command) {
        return refresh(key, reason, command, Admission.ANY);
    }

    /**
     * {@link #refresh(TokenKey, RefreshReason, CommandContext)} for a command that must also pass
     * {@code admission} before it fetches. Every call with a command is audited exactly once, whatever its
     * outcome.
     */
    public RefreshOutcome refresh(TokenKey key, RefreshReason reason, CommandContext command, Admission admission) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(admission, "admission");
        Optional<ManagedCredential> managed = catalog.find(key);
        if (managed.isEmpty()) {
            // No meter: an unknown key is outside data, and meters per outside key would grow without bound.
            return unknown(key, reason, command);
        }
        RefreshOutcome outcome = locks.withLock(
                        key,
                        () -> reason == RefreshReason.REKEYED && command != null
                                ? rekeying.underLock(key, command)
                                : underLock(managed.get(), reason, command, admission))
                .orElseGet(() -> lockedElsewhere(key, reason, command));
        metrics.outcome(key, outcome.result().name());
        return outcome;
    }

    private RefreshOutcome underLock(
            ManagedCredential credential, RefreshReason reason, CommandContext command, Admission admission) {
        TokenKey key = credential.key();
        StoredToken stored = store.read(key);
        if (stored.version() == 0 && !store.isRecovered()) {
            // Redis knows nothing of the key and has not been rebuilt from the topic: writing version 1 now
            // could put a version below the topic's (docs/design.md §4.5).
            log.warn("refresh deferred key={} reason={} cause=redis-not-yet-recovered-from-topic", key, reason);
            if (command != null) {
                audit.record(AuditTrail.Entry.of(key, AttemptOutcome.REJECTED, reason, command)
                        .error(NOT_RECOVERED, "Redis is not yet rebuilt from the tokens topic; ask again shortly"));
            }
            return RefreshOutcome.of(stored, NOT_READY, NOT_RECOVERED);
        }
        if (command == null && !Planner.isDue(stored, clock.instant())) {
            log.debug("refresh no longer due key={} reason={} version={}", key, reason, stored.version());
            return RefreshOutcome.of(stored, NOT_DUE, null);
        }
        if (command != null
                && command.ifFingerprint() != null
                && !command.ifFingerprint().equals(stored.fingerprint())) {
            audit.record(AuditTrail.Entry.of(key, AttemptOutcome.COALESCED, reason, command)
                    .token(stored.version(), stored.fingerprint(), null)
                    .error(FINGERPRINT_MISMATCH, "the reported token is no longer the current one"));
            return RefreshOutcome.of(stored, COALESCED, FINGERPRINT_MISMATCH);
        }
        if (stored.version() >= Ranges.MAX_VERSION) {
            // Checked before WeChat: a fetch could never be stored, so each tick would buy a token to throw away.
            return retries.failed(credential, stored, reason, command, WriteFailures.exhausted(stored), Duration.ZERO);
        }
        Optional<Instant> quarantined = writeFailures.quarantinedUntil(key, clock.instant());
        if (quarantined.isPresent()) {
            return retries.failed(
                    credential, stored, reason, command, WriteFailures.resting(key, quarantined.get()), Duration.ZERO);
        }
        FetchMode mode = command != null && command.force() && credential.api() == WeChatApi.STABLE
                ? FetchMode.FORCE
                : FetchMode.NORMAL;
        if (command != null) {
            Optional<Admission.Refusal> refusal = admission.check(credential, mode);
            if (refusal.isPresent()) {
                return refused(stored, reason, command, refusal.get());
            }
        }
        if (!sealing.canSeal(key.asString())) {
            // Checked before the fetch: a fetched token that cannot be stored is lost, and for a classic token
            // the fetch has already shortened the life of the current one.
            WeChatException unscoped = new WeChatException(
                    NO_ENCRYPTION_SCOPE,
                    WeChatException.Retry.STOP,
                    "no encryption scope matches " + key + "; add a pattern for it to the refresher's keyring");
            return retries.failed(credential, stored, reason, command, unscoped, Duration.ZERO);
        }
        if (!quota.tryAcquire(credential, mode)) {
            WeChatException refused = new WeChatException(
                    QUOTA_EXHAUSTED,
                    WeChatException.Retry.QUOTA,
                    "today's " + mode + " fetch budget of " + key + " is spent; no call was made to WeChat");
            return retries.failed(credential, stored, reason, command, refused, Duration.ZERO);
        }
        // Latency is measured on the monotonic clock: the injected Clock may be virtual and stand still.
        long started = System.nanoTime();
        FetchedToken fetched;
        try {
            fetched = source.fetch(credential, mode);
        } catch (WeChatException e) {
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            metrics.fetched(key, took, false);
            return retries.failed(credential, stored, reason, command, e, took);
        } catch (RuntimeException e) {
            // Only the class name: a message could carry a URL, and URLs of /cgi-bin/token carry the secret.
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            metrics.fetched(key, took, false);
            WeChatException wrapped = new WeChatException(
                    "INTERNAL",
                    WeChatException.Retry.BACKOFF,
                    "unexpected " + e.getClass().getName() + " while fetching " + key);
            return retries.failed(credential, stored, reason, command, wrapped, took);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        metrics.fetched(key, took, true);
        return writer.write(credential, stored, fetched, reason, command, took);
    }

    private RefreshOutcome refused(
            StoredToken stored, RefreshReason reason, CommandContext command, Admission.Refusal refusal) {
        log.info(
                "refresh refused key={} reason={} commandId={} errorCode={} message={}",
                stored.key(),
                reason,
                command.commandId(),
                refusal.errorCode(),
                refusal.message());
        audit.record(AuditTrail.Entry.of(stored.key(), AttemptOutcome.REJECTED, reason, command)
                .token(stored.version() == 0 ? null : stored.version(), stored.fingerprint(), null)
                .error(refusal.errorCode(), refusal.message()));
        return RefreshOutcome.of(stored, REJECTED, refusal.errorCode());
    }

    private RefreshOutcome lockedElsewhere(TokenKey key, RefreshReason reason, CommandContext command) {
        log.debug("refresh coalesced key={} reason={} cause=key-locked-by-another-refresh", key, reason);
        if (command != null) {
            audit.record(AuditTrail.Entry.of(key, AttemptOutcome.COALESCED, reason, command)
                    .error(LOCKED, "another refresh of the key is running"));
        }
        return new RefreshOutcome(key, COALESCED, null, null, LOCKED);
    }

    private RefreshOutcome unknown(TokenKey key, RefreshReason reason, CommandContext command) {
        log.warn("refresh rejected key={} reason={} cause=key-not-configured", key, reason);
        if (command != null) {
            audit.record(AuditTrail.Entry.of(key, AttemptOutcome.REJECTED, reason, command)
                    .error(UNKNOWN_KEY, "no credential with this key is configured in tokencast.apps"));
        }
        return new RefreshOutcome(key, REJECTED, null, null, UNKNOWN_KEY);
    }
}
