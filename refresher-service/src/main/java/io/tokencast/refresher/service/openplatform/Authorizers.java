package io.tokencast.refresher.service.openplatform;

import io.tokencast.refresher.refresh.Retirement;
import io.tokencast.schema.CredentialKind;
import io.tokencast.schema.CredentialSource;
import io.tokencast.schema.CredentialStored;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import java.time.Clock;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers and retires the accounts authorized to a component. Registering keeps the refresh token in the
 * {@link CredentialVault}, lifts a revocation and tells the refresher that the authorizer's token is
 * wanted; the vault is where every replica's catalog finds the authorizer ({@link RegisteredAuthorizers}).
 * Retiring removes the refresh token from the vault, so no replica refreshes the authorizer any more, and
 * has its token taken off the tokens topic.
 */
final class Authorizers {

    private static final Logger log = LoggerFactory.getLogger(Authorizers.class);

    private final CredentialVault vault;
    private final Revocations revocations;
    private final Clock clock;
    private final String instanceId;
    private final Consumer<TokenKey> onRegistered;
    private final BiConsumer<TokenKey, String> onRetired;

    /**
     * @param onRegistered called with the authorizer's token key after a new refresh token was stored, so the
     *     refresher fetches its token now instead of waiting out an earlier failure
     * @param onRetired called with the authorizer's token key and who retired it, after its refresh token was
     *     removed, so its token is removed too
     */
    Authorizers(
            CredentialVault vault,
            Revocations revocations,
            Clock clock,
            String instanceId,
            Consumer<TokenKey> onRegistered,
            BiConsumer<TokenKey, String> onRetired) {
        this.vault = vault;
        this.revocations = revocations;
        this.clock = clock;
        this.instanceId = instanceId;
        this.onRegistered = onRegistered;
        this.onRetired = onRetired;
    }

    static String account(String componentAppid, String authorizerAppid) {
        return componentAppid + "." + authorizerAppid;
    }

    static TokenKey tokenKey(String componentAppid, String authorizerAppid) {
        return TokenKey.of(TokenKind.WECHAT_AUTHORIZER_ACCESS_TOKEN, account(componentAppid, authorizerAppid));
    }

    /**
     * Stores a refresh token WeChat or an admin gave, replacing any older one.
     *
     * @throws io.tokencast.schema.InvalidTokenKeyException when the appids cannot form a token key
     */
    void register(String componentAppid, String authorizerAppid, String refreshToken, CredentialSource source) {
        TokenKey key = tokenKey(componentAppid, authorizerAppid);
        String account = key.account();
        CredentialStored credential = credential(account, refreshToken, source);
        vault.store(credential);
        revocations.clear(account);
        revocations.track(account);
        log.info(
                "authorizer registered authorizer={} refreshToken={} source={}",
                account,
                credential.fingerprint(),
                source);
        onRegistered.accept(key);
    }

    /**
     * Stores a configured refresh token only when the vault holds none for the authorizer: the vault's copy
     * may be a newer one WeChat returned since the configuration was written.
     */
    boolean seed(String componentAppid, String authorizerAppid, String refreshToken) {
        String account = account(componentAppid, authorizerAppid);
        revocations.track(account);
        boolean seeded = vault.storeIfAbsent(credential(account, refreshToken, CredentialSource.ADMIN));
        if (seeded) {
            revocations.clear(account);
        }
        return seeded;
    }

    /**
     * The account cancelled its authorization (an {@code unauthorized} event): revoked, so the alert tells
     * operators, and removed. Its refresh token is worthless now: authorizing again issues a new one.
     *
     * @throws CredentialVaultException when Redis or the broker did not take the removal; retrying is safe
     */
    void unauthorized(String componentAppid, String authorizerAppid) {
        revocations.revoke(account(componentAppid, authorizerAppid), "unauthorized");
        remove(componentAppid, authorizerAppid, Retirement.BY_UNAUTHORIZATION);
    }

    /**
     * An admin retires the authorizer: removed, and its revocation lifted, since nobody has to act on it any
     * more. Returns whether the vault held a refresh token for it.
     *
     * @throws CredentialVaultException when Redis or the broker did not take the removal; retrying is safe
     */
    boolean retire(String componentAppid, String authorizerAppid, String requestedBy) {
        boolean held = remove(componentAppid, authorizerAppid, requestedBy);
        revocations.clear(account(componentAppid, authorizerAppid));
        return held;
    }

    /**
     * Removes the refresh token from the vault (a tombstone on the credentials topic), so no replica's catalog
     * lists the authorizer any more, then has its token removed.
     */
    private boolean remove(String componentAppid, String authorizerAppid, String requestedBy) {
        TokenKey key = tokenKey(componentAppid, authorizerAppid);
        boolean held = vault.remove(CredentialKind.AUTHORIZER_REFRESH_TOKEN.keyFor(key.account()));
        log.warn("authorizer retired authorizer={} held={} requestedBy={}", key.account(), held, requestedBy);
        onRetired.accept(key, requestedBy);
        return held;
    }

    private CredentialStored credential(String account, String refreshToken, CredentialSource source) {
        return CredentialStored.of(
                CredentialKind.AUTHORIZER_REFRESH_TOKEN,
                account,
                refreshToken,
                clock.instant(),
                null,
                source,
                instanceId);
    }
}
