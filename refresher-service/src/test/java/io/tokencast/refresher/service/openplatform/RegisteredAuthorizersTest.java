package io.tokencast.refresher.service.openplatform;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokencast.refresher.wechat.ManagedCredential;
import io.tokencast.refresher.wechat.WeChatApi;
import io.tokencast.schema.CredentialKind;
import io.tokencast.schema.CredentialSource;
import io.tokencast.schema.CredentialStored;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegisteredAuthorizersTest {

    private static final Instant NOW = Instant.parse("2026-03-01T08:00:00Z");

    private final InMemoryCredentialVault vault = new InMemoryCredentialVault();
    private final Components components = new Components(List.of(new Component(
            "wxcomponent01", "secret", new MessageCrypto("wxcomponent01", "t", MessageCryptoTest.KEY, null))));

    private void store(CredentialKind kind, String account) {
        vault.store(CredentialStored.of(kind, account, "value@@@1", NOW, null, CredentialSource.ADMIN, "replica-a"));
    }

    @Test
    void turnsEveryStoredRefreshTokenOfAConfiguredComponentIntoAnAuthorizerToken() {
        store(CredentialKind.AUTHORIZER_REFRESH_TOKEN, "wxcomponent01.wxauthorizer02");
        store(CredentialKind.AUTHORIZER_REFRESH_TOKEN, "wxcomponent01.wxauthorizer01");
        store(CredentialKind.COMPONENT_VERIFY_TICKET, "wxcomponent01");

        assertThat(new RegisteredAuthorizers(vault, components).registered())
                .containsExactly(
                        new ManagedCredential(
                                TokenKey.of(TokenKind.WECHAT_AUTHORIZER_ACCESS_TOKEN, "wxcomponent01.wxauthorizer01"),
                                WeChatApi.AUTHORIZER,
                                null),
                        new ManagedCredential(
                                TokenKey.of(TokenKind.WECHAT_AUTHORIZER_ACCESS_TOKEN, "wxcomponent01.wxauthorizer02"),
                                WeChatApi.AUTHORIZER,
                                null));
    }

    @Test
    void leavesOutAuthorizersOfAComponentNoLongerConfigured() {
        store(CredentialKind.AUTHORIZER_REFRESH_TOKEN, "wxcomponent09.wxauthorizer01");

        assertThat(new RegisteredAuthorizers(vault, components).registered()).isEmpty();
    }

    @Test
    void readsNothingWithoutAComponent() {
        store(CredentialKind.AUTHORIZER_REFRESH_TOKEN, "wxcomponent01.wxauthorizer01");

        assertThat(new RegisteredAuthorizers(vault, new Components(List.of())).registered())
                .isEmpty();
    }
}
