package io.tokencast.schema;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * Refresh this token now: an operator command on the admin topic (signed with an operator key), or a service's
 * invalid-token report on the reports topic. With {@code ifFingerprint} it is a compare-and-refresh ("refresh
 * only if this dead token is still current"), which is how services report an invalid token: a hundred reports
 * of one dead token cause one fetch.
 *
 * @param commandId de-duplicates the command
 * @param force for stable tokens, use WeChat's force mode (20 per day) instead of normal mode
 * @param onBehalfOf on a signed operator command, the user a console acts for (its logged-in operator); the
 *     signature covers it, and the audit shows it next to the verified {@code requestedBy} (docs/security.md)
 */
public record RefreshRequested(
        UUID commandId,
        TokenKey tokenKey,
        String ifFingerprint,
        boolean force,
        RefreshReason reason,
        String requestedBy,
        Instant requestedAt,
        String onBehalfOf)
        implements TokencastEvent {

    private static final String EVENT = "RefreshRequested";
    private static final Set<RefreshReason> REQUESTABLE =
            Set.of(RefreshReason.MANUAL, RefreshReason.INVALID_REPORTED, RefreshReason.REKEYED);

    public RefreshRequested {
        Require.present(commandId, EVENT, "commandId");
        Require.present(tokenKey, EVENT, "tokenKey");
        Require.fingerprint(ifFingerprint, EVENT, "ifFingerprint");
        Require.present(reason, EVENT, "reason");
        if (!REQUESTABLE.contains(reason)) {
            throw new InvalidEventException(
                    EVENT, "reason", "must be MANUAL, INVALID_REPORTED or REKEYED, was " + reason);
        }
        Require.text(requestedBy, EVENT, "requestedBy");
        Ranges.name(requestedBy, EVENT, "requestedBy");
        Require.present(requestedAt, EVENT, "requestedAt");
        Ranges.instant(requestedAt, EVENT, "requestedAt");
        if (onBehalfOf != null) {
            Require.text(onBehalfOf, EVENT, "onBehalfOf");
            Ranges.name(onBehalfOf, EVENT, "onBehalfOf");
        }
    }

    /** A command that acts for nobody else ({@code onBehalfOf} absent). */
    public RefreshRequested(
            UUID commandId,
            TokenKey tokenKey,
            String ifFingerprint,
            boolean force,
            RefreshReason reason,
            String requestedBy,
            Instant requestedAt) {
        this(commandId, tokenKey, ifFingerprint, force, reason, requestedBy, requestedAt, null);
    }

    /** This command acting for {@code user} (a console's logged-in operator); null for nobody. */
    public RefreshRequested onBehalfOf(String user) {
        return new RefreshRequested(commandId, tokenKey, ifFingerprint, force, reason, requestedBy, requestedAt, user);
    }

    /** An operator's unconditional refresh. */
    public static RefreshRequested manual(TokenKey key, boolean force, String requestedBy, Instant at) {
        return new RefreshRequested(UUID.randomUUID(), key, null, force, RefreshReason.MANUAL, requestedBy, at);
    }

    /**
     * An operator's key rotation for one key ({@code tokencast keys rotate}): re-publish the current token,
     * unchanged, as a new version under the newest encryption key of its scope. Never calls WeChat.
     */
    public static RefreshRequested rekey(TokenKey key, String requestedBy, Instant at) {
        return new RefreshRequested(UUID.randomUUID(), key, null, false, RefreshReason.REKEYED, requestedBy, at);
    }

    /** A service's report that the token with this fingerprint was refused by WeChat. */
    public static RefreshRequested invalidReported(
            TokenKey key, String deadFingerprint, String requestedBy, Instant at) {
        Require.present(deadFingerprint, EVENT, "ifFingerprint");
        return new RefreshRequested(
                UUID.randomUUID(), key, deadFingerprint, false, RefreshReason.INVALID_REPORTED, requestedBy, at);
    }
}
