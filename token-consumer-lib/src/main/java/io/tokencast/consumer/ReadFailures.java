package io.tokencast.consumer;

import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import java.time.Duration;

/**
 * The exceptions a {@link TokenTable} read throws when it has no token to serve, each naming the key, the cause and
 * the fix. Built only on that path: a read that finds its token allocates nothing.
 */
final class ReadFailures {

    private final String source;

    /** @param source names where tokens come from, e.g. {@code topic 'tokencast.tokens'} */
    ReadFailures(String source) {
        this.source = source;
    }

    TokenNotReadyException notReady(TokenKey key, long recordsRead) {
        return new TokenNotReadyException(
                key,
                "token " + key + " is not available yet: the view of " + source
                        + " has not read it to the end (" + recordsRead
                        + " records so far). Call awaitReady(Duration) after start(), or wait for health UP.");
    }

    UnknownTokenException unknown(TokenKey key, int keysHeld, boolean verifies, long rejected) {
        return new UnknownTokenException(
                key,
                "no token for " + key + " on " + source + " (it holds " + keysHeld
                        + " keys). Check the key's kind and account, and that the refresher manages this app"
                        + " (tokencast.apps)." + (verifies ? unverifiedHint(rejected) : ""));
    }

    private static String unverifiedHint(long rejected) {
        return rejected == 0
                ? ""
                : " The view refused " + rejected + " record(s) whose signature did not verify against the"
                        + " refresher's keys; it never serves those (docs/security.md §4).";
    }

    TokenRemovedException removed(Held current) {
        return new TokenRemovedException(
                current.key(),
                "token " + current.key() + " was removed from " + source + " (retired at v" + current.version()
                        + ", or a tombstone where signatures are not checked): the refresher no longer manages it."
                        + " Stop asking for it, or add the app back to the refresher's tokencast.apps.");
    }

    NoKeyForScopeException noKey(Held current) {
        Held.Unreadable unreadable = current.unreadable();
        return new NoKeyForScopeException(
                current.key(),
                unreadable.reason() + ". This service cannot decrypt token " + current.key() + " v"
                        + unreadable.version() + " (kid " + unreadable.kid() + "). If it should read this key, add"
                        + " the key and a scope covering it to the service's encryption keyring"
                        + " (TokenView.builder().encryptionKeyring(...), docs/security.md §5); otherwise stop"
                        + " asking for it.");
    }

    TokenExpiredException expired(Held current) {
        TokenRefreshed event = current.event();
        return new TokenExpiredException(
                current.key(),
                event.expiresAt(),
                "token " + current.key() + " v" + current.version() + " expired at " + event.expiresAt()
                        + " and no newer version arrived on " + source + " (the refresher planned one for "
                        + event.nextRefreshAt() + "). Check the refresher's health and the audit topic"
                        + " tokencast.token-audit; the view serves the next version as soon as it is published.");
    }

    TokenNotReadyException notReadyAfter(Duration timeout, long recordsRead, String hint) {
        return new TokenNotReadyException(
                null,
                "the view of " + source + " is not ready after " + timeout + ": it read " + recordsRead
                        + " records so far. " + hint);
    }

    TokenNotReadyException interrupted() {
        return new TokenNotReadyException(
                null, "interrupted while waiting for the view of " + source + " to become ready");
    }
}
