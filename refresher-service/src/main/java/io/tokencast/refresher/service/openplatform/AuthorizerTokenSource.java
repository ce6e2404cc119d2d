package io.tokencast.refresher.service.openplatform;

import io.tokencast.refresher.store.TokenStore;
import io.tokencast.refresher.wechat.ErrorCodes;
import io.tokencast.refresher.wechat.FetchMode;
import io.tokencast.refresher.wechat.FetchedToken;
import io.tokencast.refresher.wechat.ManagedCredential;
import io.tokencast.refresher.wechat.WeChatException;
import io.tokencast.refresher.wechat.WeChatException.Retry;
import io.tokencast.refresher.wechat.WeChatTransport;
import io.tokencast.schema.CredentialKind;
import io.tokencast.schema.CredentialSource;
import io.tokencast.schema.CredentialStored;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.trust.encryption.RecordEncryption;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Fetches {@code wechat-authorizer-access-token/<component>.<authorizer>} with {@code api_authorizer_token},
 * the component's current token from the token store and the authorizer's refresh token from the
 * {@link CredentialVault}. A different refresh token in the answer replaces the stored one. 61003 (the
 * account cancelled) and 61023 (refresh token invalid) revoke the authorizer: {@link Retry#STOP}, no further
 * WeChat call until a new refresh token is stored, and the alert gauge goes to 1.
 */
final class AuthorizerTokenSource implements io.tokencast.refresher.wechat.CredentialSource {

    private static final Logger log = LoggerFactory.getLogger(AuthorizerTokenSource.class);
    static final String PATH = "/cgi-bin/component/api_authorizer_token";

    private final TokenStore tokens;
    private final RecordEncryption encryption;
    private final CredentialVault vault;
    private final Revocations revocations;
    private final WeChatTransport http;
    private final Clock clock;
    private final String instanceId;

    AuthorizerTokenSource(
            TokenStore tokens,
            RecordEncryption encryption,
            CredentialVault vault,
            Revocations revocations,
            WeChatTransport http,
            Clock clock,
            String instanceId) {
        this.tokens = tokens;
        this.encryption = encryption;
        this.vault = vault;
        this.revocations = revocations;
        this.http = http;
        this.clock = clock;
        this.instanceId = instanceId;
    }

    @Override
    public FetchedToken fetch(ManagedCredential credential, FetchMode mode) {
        String account = credential.key().account();
        String what = "fetching " + credential.key();
        int dot = account.indexOf('.');
        if (dot <= 0 || dot == account.length() - 1) {
            throw new WeChatException(
                    "BAD_ACCOUNT", Retry.STOP, what + " failed: the account must be componentAppid.authorizerAppid");
        }
        String componentAppid = account.substring(0, dot);
        String authorizerAppid = account.substring(dot + 1);
        revocations.track(account);
        String revokedBy = revocations.revoked(account).orElse(null);
        if (revokedBy != null) {
            throw new WeChatException(
                    "AUTHORIZER_REVOKED",
                    Retry.STOP,
                    what + " skipped: the authorization is gone (errcode " + revokedBy + "); the account must"
                            + " authorize the platform again, or an admin must register a new refresh token");
        }
        Instant now = clock.instant();
        TokenKey componentKey = TokenKey.of(TokenKind.WECHAT_COMPONENT_ACCESS_TOKEN, componentAppid);
        TokenRefreshed componentToken = tokens.read(componentKey)
                .current()
                .filter(t -> t.expiresAt().isAfter(now))
                .map(encryption::revealed)
                .orElseThrow(() -> new WeChatException(
                        "COMPONENT_TOKEN_UNAVAILABLE",
                        Retry.BACKOFF,
                        what + " waits: " + componentKey + " has no valid token yet"));
        String refreshKey = CredentialKind.AUTHORIZER_REFRESH_TOKEN.keyFor(account);
        CredentialStored refresh = vault.find(refreshKey)
                .orElseThrow(() -> new WeChatException(
                        "NO_REFRESH_TOKEN",
                        Retry.STOP,
                        what + " failed: no refresh token is stored under " + refreshKey + "; register it in"
                                + " tokencast.open-platform.authorizers or let the account authorize again"));
        JsonNode body = http.post(
                what,
                PATH,
                Map.of("component_access_token", componentToken.token()),
                WeChatTransport.body()
                        .put("component_appid", componentAppid)
                        .put("authorizer_appid", authorizerAppid)
                        .put("authorizer_refresh_token", refresh.value()));
        int errcode = WeChatTransport.errcode(body, what);
        if (errcode == ErrorCodes.NOT_AUTHORIZED || errcode == ErrorCodes.REFRESH_TOKEN_INVALID) {
            revocations.revoke(account, String.valueOf(errcode));
            log.error(
                    "authorizer revoked authorizer={} errcode={} refreshToken={} action=ask-the-account-to-authorize-again",
                    account,
                    errcode,
                    refresh.fingerprint());
        }
        if (errcode != 0) {
            throw ErrorCodes.failure(what, errcode, ErrorCodes.Call.OPEN_PLATFORM);
        }
        FetchedToken token = new FetchedToken(
                WeChatTransport.text(body, "authorizer_access_token", what),
                WeChatTransport.expiresIn(body, what),
                now);
        JsonNode returned = body.path("authorizer_refresh_token");
        if (returned.isString()
                && !returned.stringValue().isBlank()
                && !returned.stringValue().equals(refresh.value())) {
            keepRotated(account, refresh, returned.stringValue(), now);
        }
        return token;
    }

    /**
     * WeChat may rotate the refresh token (docs/wechat-api.md §5.5, unconfirmed); the new one must be durable before
     * the old one stops working, or the account has to authorize again.
     */
    private void keepRotated(String account, CredentialStored old, String rotated, Instant now) {
        CredentialStored next = CredentialStored.of(
                CredentialKind.AUTHORIZER_REFRESH_TOKEN,
                account,
                rotated,
                now,
                null,
                CredentialSource.WECHAT_RESPONSE,
                instanceId);
        try {
            vault.store(next);
            log.info(
                    "refresh token rotated authorizer={} previous={} fingerprint={}",
                    account,
                    old.fingerprint(),
                    next.fingerprint());
        } catch (CredentialVaultException e) {
            // The token itself is fine; the rotated refresh token is logged by fingerprint for recovery by hand.
            log.error(
                    "rotated refresh token not stored authorizer={} fingerprint={} error={} action=check-redis-and-kafka",
                    account,
                    next.fingerprint(),
                    e.getMessage());
        }
    }
}
