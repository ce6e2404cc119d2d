package io.tokencast.schema;

/** Why a token was refreshed (or a refresh was asked for). */
public enum RefreshReason {
    /** The refresh policy found the token due. */
    SCHEDULED,
    /** An operator asked. */
    MANUAL,
    /** A service reported the token dead (40001 and friends). */
    INVALID_REPORTED,
    /** No token existed yet for a configured key. */
    STARTUP,
    /** Re-publication of what Redis held but the topic lacked. */
    RECOVERY,
    /** The same token re-published as a new version under the newest encryption key (key rotation). */
    REKEYED
}
