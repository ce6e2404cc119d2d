package io.tokencast.schema;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The removal of a credential, on {@code tokencast.tokens} (with {@code tokenKey}) or {@code tokencast.credentials}
 * (with {@code credentialKey}); exactly one of the two is set and equals the record's Kafka key. Signed like the
 * records it retires: views drop a key on a verified {@code TokenRetired}, never on a bare tombstone, which only
 * follows one so compaction can forget the key (docs/design.md §5).
 *
 * @param version above every version of the key written before, so an older record replayed after it never
 *     brings the key back, and a replayed old retirement never removes a newer token
 * @param reason an upper-case code: {@code UNAUTHORIZED} (the authorizer revoked tokencast's authorization),
 *     {@code REMOVED} (an operator removed the credential); readers accept codes they do not know
 */
public record TokenRetired(
        UUID eventId, TokenKey tokenKey, String credentialKey, long version, Instant retiredAt, String reason)
        implements TokencastEvent {

    private static final String EVENT = "TokenRetired";
    private static final Pattern REASON = Pattern.compile("[A-Z][A-Z0-9_]*");

    /** The authorizer revoked tokencast's authorization. */
    public static final String UNAUTHORIZED = "UNAUTHORIZED";

    /** An operator removed the credential. */
    public static final String REMOVED = "REMOVED";

    public TokenRetired {
        Require.present(eventId, EVENT, "eventId");
        if ((tokenKey == null) == (credentialKey == null)) {
            throw new InvalidEventException(EVENT, "tokenKey", "or credentialKey is required, and only one of them");
        }
        if (credentialKey != null) {
            Ranges.length(credentialKey, Ranges.MAX_KEY_CHARS, EVENT, "credentialKey");
            boolean known = Arrays.stream(CredentialKind.values())
                    .map(kind -> kind.keyPrefix() + "/")
                    .anyMatch(prefix -> credentialKey.startsWith(prefix) && credentialKey.length() > prefix.length());
            if (!known) {
                throw new InvalidEventException(
                        EVENT,
                        "credentialKey",
                        "must be component-ticket/<appid> or authorizer-refresh-token/<account>");
            }
        }
        Ranges.version(version, EVENT, "version");
        Require.present(retiredAt, EVENT, "retiredAt");
        Ranges.instant(retiredAt, EVENT, "retiredAt");
        Require.present(reason, EVENT, "reason");
        Ranges.length(reason, Ranges.MAX_REASON_CHARS, EVENT, "reason");
        if (!REASON.matcher(reason).matches()) {
            throw new InvalidEventException(EVENT, "reason", "must be an upper-case code such as " + UNAUTHORIZED);
        }
    }

    /** The retirement of a token key, as version {@code version}. */
    public static TokenRetired ofToken(TokenKey key, long version, Instant retiredAt, String reason) {
        Objects.requireNonNull(key, "key");
        return new TokenRetired(UUID.randomUUID(), key, null, version, retiredAt, reason);
    }

    /** The retirement of a credential key ({@code component-ticket/…}, {@code authorizer-refresh-token/…}). */
    public static TokenRetired ofCredential(String credentialKey, long version, Instant retiredAt, String reason) {
        Objects.requireNonNull(credentialKey, "credentialKey");
        return new TokenRetired(UUID.randomUUID(), null, credentialKey, version, retiredAt, reason);
    }

    /** The record key: the token key or the credential key, whichever is set. */
    public String recordKey() {
        return tokenKey != null ? tokenKey.asString() : credentialKey;
    }
}
