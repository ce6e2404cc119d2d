package io.tokencast.consumer;

/** How healthy the token a view holds for one key is, judged against the view's clock. */
public enum TokenState {
    /** Served, and the refresher is on schedule. */
    FRESH,
    /**
     * Still served, but the refresher is late: the time it planned for the next refresh
     * ({@code nextRefreshAt}) plus the view's stale grace has passed without a newer version.
     */
    STALE,
    /** Held but past {@code expiresAt}: {@link TokenView#token} throws {@link TokenExpiredException}. */
    EXPIRED,
    /** No token held: the key was never published, was removed, or the view is not ready yet. */
    ABSENT,
    // Last, so the ordinals the token.state gauge publishes for the others stay as they were.
    /**
     * The newest version is encrypted under a key this service does not hold, or lies outside its scopes:
     * "no key for this scope". An older readable version, if any, is still served until it expires; then
     * {@link TokenView#token} throws {@link NoKeyForScopeException}.
     */
    NO_KEY
}
