package io.tokencast.refresher.refresh;

import io.tokencast.schema.Fingerprint;
import io.tokencast.schema.RefreshRequested;
import java.util.Objects;
import java.util.UUID;

/**
 * What a command adds to a refresh: who asked, under which id, and its conditions.
 *
 * @param commandId becomes the new version's {@code causationId} and the audit record's {@code commandId}
 * @param ifFingerprint refresh only while the current token has this fingerprint (an invalid-token report);
 *     null for an unconditional refresh
 * @param force for stable tokens, WeChat's force mode (20 per day) instead of normal mode
 * @param requestedBy who asked, for the audit record
 */
public record RefreshCommand(UUID commandId, String ifFingerprint, boolean force, String requestedBy) {

    public RefreshCommand {
        Objects.requireNonNull(commandId, "commandId");
        if (ifFingerprint != null && !Fingerprint.isFingerprint(ifFingerprint)) {
            throw new IllegalArgumentException("ifFingerprint must look like sha256:<16 hex digits>");
        }
    }

    /** The command carried by an admin-topic request. */
    public static RefreshCommand of(RefreshRequested request) {
        return new RefreshCommand(request.commandId(), request.ifFingerprint(), request.force(), request.requestedBy());
    }
}
