package io.tokencast.refresher.refresh;

import io.tokencast.schema.Fingerprint;
import java.util.Objects;
import java.util.UUID;

/**
 * What an operator's command or a service's invalid-token report adds to a refresh: who asked, under which id,
 * and its conditions.
 *
 * @param commandId becomes the new version's {@code causationId} and the audit record's {@code commandId}
 * @param ifFingerprint refresh only while the current token has this fingerprint (an invalid-token report);
 *     null for an unconditional refresh
 * @param force for stable tokens, WeChat's force mode (20 per day) instead of normal mode
 * @param requestedBy who asked, for the audit record: a verified operator's name, or a report's marked hint
 * @param onBehalfOf whom a signed command was sent for (a console's logged-in user), for the audit record
 */
public record CommandContext(
        UUID commandId, String ifFingerprint, boolean force, String requestedBy, String onBehalfOf) {

    public CommandContext {
        Objects.requireNonNull(commandId, "commandId");
        if (ifFingerprint != null && !Fingerprint.isFingerprint(ifFingerprint)) {
            throw new IllegalArgumentException("ifFingerprint must look like sha256:<16 hex digits>");
        }
    }

    /** A command sent for nobody else. */
    public CommandContext(UUID commandId, String ifFingerprint, boolean force, String requestedBy) {
        this(commandId, ifFingerprint, force, requestedBy, null);
    }
}
