package io.tokencast.schema;

import java.time.Instant;
import java.util.UUID;

/**
 * One refresh attempt and its outcome, on the append-only audit topic. Never holds a token or secret,
 * only fingerprints. {@code tokenKey} is free text: a rejected command is audited under whatever key it
 * arrived with, valid or not.
 *
 * @param errorCode a WeChat errcode (e.g. {@code 40125}) or a tokencast code (e.g. {@code QUOTA_EXHAUSTED})
 * @param requestedBy for a command: the verified operator key's name, {@code unauthenticated} for a command
 *     that failed verification, or a report's unverified hint
 * @param kid the encryption key id of the version this attempt produced, if it was encrypted
 * @param onBehalfOf for a signed operator command, the user it was sent for (a console's logged-in operator)
 */
public record RefreshAttempted(
        UUID eventId,
        String tokenKey,
        AttemptOutcome outcome,
        Long version,
        String fingerprint,
        String previousFingerprint,
        RefreshReason reason,
        UUID commandId,
        String requestedBy,
        String errorCode,
        String errorMessage,
        Long durationMs,
        String refresher,
        Instant at,
        String kid,
        String onBehalfOf)
        implements TokencastEvent {

    private static final String EVENT = "RefreshAttempted";
    private static final int MAX_TEXT = 1000;

    public RefreshAttempted {
        Require.present(eventId, EVENT, "eventId");
        Require.present(tokenKey, EVENT, "tokenKey");
        Require.maxLength(tokenKey, MAX_TEXT, EVENT, "tokenKey");
        Require.present(outcome, EVENT, "outcome");
        Require.fingerprint(fingerprint, EVENT, "fingerprint");
        Require.fingerprint(previousFingerprint, EVENT, "previousFingerprint");
        Require.maxLength(requestedBy, MAX_TEXT, EVENT, "requestedBy");
        Require.maxLength(errorCode, MAX_TEXT, EVENT, "errorCode");
        Require.maxLength(errorMessage, 4 * MAX_TEXT, EVENT, "errorMessage");
        if (durationMs != null && durationMs < 0) {
            throw new InvalidEventException(EVENT, "durationMs", "must not be negative");
        }
        if (version != null) {
            Ranges.version(version, EVENT, "version");
        }
        Require.text(refresher, EVENT, "refresher");
        Ranges.name(refresher, EVENT, "refresher");
        Require.present(at, EVENT, "at");
        Require.maxLength(kid, 100, EVENT, "kid");
        Ranges.instant(at, EVENT, "at");
        if (onBehalfOf != null) {
            Require.text(onBehalfOf, EVENT, "onBehalfOf");
            Ranges.name(onBehalfOf, EVENT, "onBehalfOf");
        }
    }

    /** An attempt for no one in particular ({@code onBehalfOf} absent). */
    public RefreshAttempted(
            UUID eventId,
            String tokenKey,
            AttemptOutcome outcome,
            Long version,
            String fingerprint,
            String previousFingerprint,
            RefreshReason reason,
            UUID commandId,
            String requestedBy,
            String errorCode,
            String errorMessage,
            Long durationMs,
            String refresher,
            Instant at,
            String kid) {
        this(
                eventId,
                tokenKey,
                outcome,
                version,
                fingerprint,
                previousFingerprint,
                reason,
                commandId,
                requestedBy,
                errorCode,
                errorMessage,
                durationMs,
                refresher,
                at,
                kid,
                null);
    }
}
