package io.tokencast.refresher.service.openplatform;

import io.tokencast.refresher.refresh.Rekeying;
import io.tokencast.schema.CredentialKind;
import io.tokencast.schema.TokenKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Key rotation of the open platform's credentials: re-keying a component token also re-keys that component's
 * verify ticket, re-keying an authorizer token its refresh token (docs/security.md §5.3).
 */
final class CredentialRekeying implements Rekeying.Companions {

    private static final Logger log = LoggerFactory.getLogger(CredentialRekeying.class);

    private final CredentialVault vault;

    CredentialRekeying(CredentialVault vault) {
        this.vault = vault;
    }

    @Override
    public void rekey(TokenKey key) {
        CredentialKind kind =
                switch (key.kind()) {
                    case WECHAT_COMPONENT_ACCESS_TOKEN -> CredentialKind.COMPONENT_VERIFY_TICKET;
                    case WECHAT_AUTHORIZER_ACCESS_TOKEN -> CredentialKind.AUTHORIZER_REFRESH_TOKEN;
                    default -> null;
                };
        if (kind == null) {
            return;
        }
        String credentialKey = kind.keyFor(key.account());
        if (vault.rekey(credentialKey)) {
            log.info("credential rekeyed key={} with={}", credentialKey, key);
        }
    }
}
