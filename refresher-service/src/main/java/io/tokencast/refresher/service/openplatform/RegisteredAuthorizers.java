package io.tokencast.refresher.service.openplatform;

import io.tokencast.refresher.config.CredentialCatalog;
import io.tokencast.refresher.wechat.ManagedCredential;
import io.tokencast.refresher.wechat.WeChatApi;
import io.tokencast.schema.CredentialKind;
import io.tokencast.schema.InvalidTokenKeyException;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authorizers the catalog learns at runtime: one authorizer token for each authorizer refresh token in
 * the {@link CredentialVault} whose component is configured. The vault is shared (Redis, rebuilt from the
 * credentials topic), so every replica, the leader included, sees an authorizer registered on any of them.
 */
final class RegisteredAuthorizers implements CredentialCatalog.Registry {

    private static final Logger log = LoggerFactory.getLogger(RegisteredAuthorizers.class);
    private static final String PREFIX = CredentialKind.AUTHORIZER_REFRESH_TOKEN.keyFor("");

    private final CredentialVault vault;
    private final Components components;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    RegisteredAuthorizers(CredentialVault vault, Components components) {
        this.vault = vault;
        this.components = components;
    }

    @Override
    public List<ManagedCredential> registered() {
        if (components.all().isEmpty()) {
            return List.of();
        }
        List<ManagedCredential> registered = new ArrayList<>();
        for (String credentialKey : vault.keys(CredentialKind.AUTHORIZER_REFRESH_TOKEN)) {
            String account = credentialKey.substring(PREFIX.length());
            int dot = account.indexOf('.');
            if (dot <= 0 || components.find(account.substring(0, dot)).isEmpty()) {
                // A component removed from the configuration: its authorizers wait in the vault until it is back.
                skipped(credentialKey, "its component is not in tokencast.open-platform.components");
                continue;
            }
            try {
                registered.add(new ManagedCredential(
                        TokenKey.of(TokenKind.WECHAT_AUTHORIZER_ACCESS_TOKEN, account), WeChatApi.AUTHORIZER, null));
            } catch (InvalidTokenKeyException e) {
                skipped(credentialKey, e.getMessage());
            }
        }
        return registered;
    }

    /** Once per key and process: the set is read every tick. */
    private void skipped(String credentialKey, String why) {
        if (reported.add(credentialKey)) {
            log.warn("registered authorizer not refreshed credential={} cause={}", credentialKey, why);
        }
    }
}
