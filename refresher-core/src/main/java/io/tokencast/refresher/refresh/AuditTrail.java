package io.tokencast.refresher.refresh;

import io.tokencast.refresher.publish.EventPublisher;
import io.tokencast.refresher.publish.PublishException;
import io.tokencast.schema.AttemptOutcome;
import io.tokencast.schema.Ranges;
import io.tokencast.schema.RefreshAttempted;
import io.tokencast.schema.RefreshReason;
import io.tokencast.schema.TokenKey;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@link RefreshAttempted} records. Only fingerprints and error codes go in, never a token or
 * secret. A lost audit record is logged, not fatal: the refresh itself already happened.
 */
public final class AuditTrail {

    private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);

    private final EventPublisher publisher;
    private final Clock clock;
    private final String instanceId;

    /** An audit trail publishing through {@code publisher}, stamped by replica {@code instanceId}. */
    public AuditTrail(EventPublisher publisher, Clock clock, String instanceId) {
        this.publisher = publisher;
        this.clock = clock;
        this.instanceId = instanceId;
    }

    /** One attempt's facts; build with the static factories and the {@code with…} methods. */
    record Entry(
            TokenKey key,
            AttemptOutcome outcome,
            RefreshReason reason,
            CommandContext command,
            Long version,
            String fingerprint,
            String previousFingerprint,
            String errorCode,
            String errorMessage,
            Duration took,
            String kid) {

        static Entry of(TokenKey key, AttemptOutcome outcome, RefreshReason reason, CommandContext command) {
            return new Entry(key, outcome, reason, command, null, null, null, null, null, null, null);
        }

        Entry token(Long version, String fingerprint, String previousFingerprint) {
            return new Entry(
                    key,
                    outcome,
                    reason,
                    command,
                    // A version out of the contract's range (forged into Redis) is not repeated on the audit topic;
                    // the error message names it.
                    version == null || !Ranges.isVersion(version) ? null : version,
                    fingerprint,
                    previousFingerprint,
                    errorCode,
                    errorMessage,
                    took,
                    kid);
        }

        Entry error(String code, String message) {
            return new Entry(
                    key, outcome, reason, command, version, fingerprint, previousFingerprint, code, message, took, kid);
        }

        Entry took(Duration duration) {
            return new Entry(
                    key,
                    outcome,
                    reason,
                    command,
                    version,
                    fingerprint,
                    previousFingerprint,
                    errorCode,
                    errorMessage,
                    duration,
                    kid);
        }

        /** The encryption key of the version produced; null when it travels in plaintext. */
        Entry kid(String encryptionKid) {
            return new Entry(
                    key,
                    outcome,
                    reason,
                    command,
                    version,
                    fingerprint,
                    previousFingerprint,
                    errorCode,
                    errorMessage,
                    took,
                    encryptionKid);
        }
    }

    void record(Entry entry) {
        RefreshAttempted attempt = new RefreshAttempted(
                UUID.randomUUID(),
                entry.key().asString(),
                entry.outcome(),
                entry.version(),
                entry.fingerprint(),
                entry.previousFingerprint(),
                entry.reason(),
                entry.command() == null ? null : entry.command().commandId(),
                entry.command() == null ? null : entry.command().requestedBy(),
                entry.errorCode(),
                entry.errorMessage(),
                entry.took() == null ? null : Math.max(0, entry.took().toMillis()),
                instanceId,
                clock.instant(),
                entry.kid(),
                entry.command() == null ? null : entry.command().onBehalfOf());
        try {
            publisher.audit(attempt);
        } catch (PublishException e) {
            log.warn(
                    "audit record lost key={} outcome={} errorCode={} error={}",
                    entry.key(),
                    entry.outcome(),
                    entry.errorCode(),
                    e.getMessage());
        }
    }
}
