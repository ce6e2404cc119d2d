package io.tokencast.refresher.refresh;

import io.tokencast.refresher.store.StoredToken;
import io.tokencast.schema.TokenKey;
import java.util.Objects;

/**
 * What came of one {@link Refresher#refresh} call.
 *
 * @param version the key's version after the call (the new one when refreshed), null if it has none
 * @param fingerprint the current token's fingerprint after the call, null if there is none
 * @param errorCode why it failed or was skipped (a WeChat errcode or a tokencast code), null on success
 */
public record RefreshOutcome(TokenKey key, Result result, Long version, String fingerprint, String errorCode) {

    /** The kinds of outcome. */
    public enum Result {
        /** A new version was stored in Redis (and published, or queued for re-publication). */
        REFRESHED,
        /** WeChat returned the token Redis already holds (stable tokens before their last 300 s). */
        UNCHANGED,
        /** A scheduled refresh found, under the key's lock, that the key is no longer due. */
        NOT_DUE,
        /** Another replica is refreshing the key now, or the token named by the command was replaced. */
        COALESCED,
        /** WeChat or the quota guard refused; the key's retry state says when it is tried again. */
        FAILED,
        /** Another writer stored a version first; this fetch was dropped. */
        STALE,
        /** Redis is not yet rebuilt from the tokens topic; nothing may be written (a command is audited REJECTED). */
        NOT_READY,
        /** The key is not configured, or the command's {@link Admission} refused it. */
        REJECTED
    }

    static RefreshOutcome of(StoredToken stored, Result result, String errorCode) {
        return new RefreshOutcome(
                stored.key(), result, stored.version() == 0 ? null : stored.version(), stored.fingerprint(), errorCode);
    }

    RefreshOutcome withResult(Result other) {
        return new RefreshOutcome(key, other, version, fingerprint, errorCode);
    }

    public RefreshOutcome {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(result, "result");
    }
}
