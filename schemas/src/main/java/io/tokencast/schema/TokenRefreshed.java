package io.tokencast.schema;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A new version of a credential: the value of {@code tokencast.tokens} (compacted, keyed by token key)
 * and of the Redis hash {@code tokencast:token:<tokenKey>}. Exactly one of {@code token} and
 * {@code encryptedToken} is set. {@link #toString()} never prints either.
 *
 * @param version strictly increasing per key, assigned atomically in Redis
 * @param nextRefreshAt when the refresher plans the next refresh; consumers use it to spot a late one
 * @param causationId the command that caused this refresh, if any
 */
public record TokenRefreshed(
        UUID eventId,
        TokenKey tokenKey,
        TokenKind kind,
        String account,
        long version,
        String token,
        String encryptedToken,
        String fingerprint,
        Instant issuedAt,
        Instant expiresAt,
        Instant nextRefreshAt,
        RefreshReason reason,
        String refresher,
        UUID causationId)
        implements TokencastEvent {

    private static final String EVENT = "TokenRefreshed";

    public TokenRefreshed {
        Require.present(eventId, EVENT, "eventId");
        Require.present(tokenKey, EVENT, "tokenKey");
        if (kind == null) {
            kind = tokenKey.kind();
        }
        if (account == null) {
            account = tokenKey.account();
        }
        if (kind != tokenKey.kind() || !account.equals(tokenKey.account())) {
            throw new InvalidEventException(EVENT, "kind", "and account must match tokenKey " + tokenKey);
        }
        Ranges.version(version, EVENT, "version");
        if ((token == null) == (encryptedToken == null)) {
            throw new InvalidEventException(EVENT, "token", "or encryptedToken is required, and only one of them");
        }
        Require.text(token == null ? encryptedToken : token, EVENT, token == null ? "encryptedToken" : "token");
        Ranges.length(token, Ranges.MAX_TOKEN_CHARS, EVENT, "token");
        Ranges.length(encryptedToken, Ranges.MAX_ENCRYPTED_TOKEN_CHARS, EVENT, "encryptedToken");
        Require.present(fingerprint, EVENT, "fingerprint");
        Require.fingerprint(fingerprint, EVENT, "fingerprint");
        // Ranges before the fingerprint: hashing a 2 KB token is the dearest check, keep it for tokens that fit.
        Ranges.instant(issuedAt, EVENT, "issuedAt");
        Ranges.instant(expiresAt, EVENT, "expiresAt");
        Ranges.instant(nextRefreshAt, EVENT, "nextRefreshAt");
        Ranges.life(issuedAt, expiresAt, EVENT, "expiresAt");
        Ranges.name(refresher, EVENT, "refresher");
        if (token != null && !Fingerprint.matches(token, fingerprint)) {
            throw new InvalidEventException(EVENT, "fingerprint", "does not match the token");
        }
        Require.present(issuedAt, EVENT, "issuedAt");
        Require.present(expiresAt, EVENT, "expiresAt");
        Require.present(nextRefreshAt, EVENT, "nextRefreshAt");
        if (!expiresAt.isAfter(issuedAt)) {
            throw new InvalidEventException(EVENT, "expiresAt", "must be after issuedAt");
        }
        Require.present(reason, EVENT, "reason");
        Require.text(refresher, EVENT, "refresher");
    }

    /** A new plain-token version with a fresh event id and the token's fingerprint. */
    public static TokenRefreshed of(
            TokenKey key,
            long version,
            String token,
            Instant issuedAt,
            Instant expiresAt,
            Instant nextRefreshAt,
            RefreshReason reason,
            String refresher,
            UUID causationId) {
        Objects.requireNonNull(token, "token");
        return new TokenRefreshed(
                UUID.randomUUID(),
                key,
                key.kind(),
                key.account(),
                version,
                token,
                null,
                Fingerprint.of(token),
                issuedAt,
                expiresAt,
                nextRefreshAt,
                reason,
                refresher,
                causationId);
    }

    /** The same event with another version: used when re-publishing or restoring. */
    public TokenRefreshed withVersion(long newVersion) {
        return new TokenRefreshed(
                eventId,
                tokenKey,
                kind,
                account,
                newVersion,
                token,
                encryptedToken,
                fingerprint,
                issuedAt,
                expiresAt,
                nextRefreshAt,
                reason,
                refresher,
                causationId);
    }

    @Override
    public String toString() {
        return "TokenRefreshed[tokenKey=" + tokenKey + ", version=" + version + ", fingerprint=" + fingerprint
                + ", issuedAt=" + issuedAt + ", expiresAt=" + expiresAt + ", nextRefreshAt=" + nextRefreshAt
                + ", reason=" + reason + ", refresher=" + refresher + ", eventId=" + eventId + ", causationId="
                + causationId + ", token=<redacted>]";
    }
}
