package io.tokencast.refresher.openplatform;

import io.tokencast.schema.CredentialKind;
import io.tokencast.schema.CredentialSource;
import io.tokencast.schema.CredentialStored;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import java.time.Clock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers and retires the accounts authorized to a component. Registering keeps the refresh token in the
 * {@link CredentialVault}, lifts a revocation and tells the refresher that the authorizer's token is
 * wanted; retiring revokes the authorizer, so no replica calls WeChat for it any more.
 */
final class Authorizers {

    private static final Logger log = LoggerFactory.getLogger(Authorizers.class);

    private final CredentialVault vault;
    private final Revocations revocations;
    private final Clock clock;
    private final String instanceId;
    private final Consumer<TokenKey> onRegistered;

    /**
     * @param onRegistered called with the authorizer's token key after a new refresh token was stored, so the
     *     refresher fetches its token now instead of waiting out an earlier failure
     */
    Authorizers(
            CredentialVault vault,
            Revocations revocations,
            Clock clock,
            String instanceId,
            Consumer<TokenKey> onRegistered) {
        this.vault = vault;
        this.revocations = revocations;
        this.clock = clock;
        this.instanceId = instanceId;
        this.onRegistered = onRegistered;
    }

    static String account(String componentAppid, String authorizerAppid) {
        return componentAppid + "." + authorizerAppid;
    }

    static TokenKey tokenKey(String componentAppid, String authorizerAppid) {
        return TokenKey.of(TokenKind.WECHAT_AUTHORIZER_ACCESS_TOKEN, account(componentAppid, authorizerAppid));
    }

    /** Stores a refresh token WeChat or an admin gave, replacing any older one. */
    void register(String componentAppid, String authorizerAppid, String refreshToken, CredentialSource source) {
        String account = account(componentAppid, authorizerAppid);
        CredentialStored credential = credential(account, refreshToken, source);
        vault.store(credential);
        revocations.clear(account);
        revocations.track(account);
        log.info(
                "authorizer registered authorizer={} refreshToken={} source={}",
                account,
                credential.fingerprint(),
                source);
        onRegistered.accept(tokenKey(componentAppid, authorizerAppid));
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

    /** The account cancelled its authorization: no more fetches until it authorizes again. */
    void retire(String componentAppid, String authorizerAppid, String reason) {
        String account = account(componentAppid, authorizerAppid);
        revocations.revoke(account, reason);
        log.warn("authorizer retired authorizer={} reason={}", account, reason);
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
