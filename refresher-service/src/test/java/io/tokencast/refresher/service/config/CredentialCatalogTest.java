package io.tokencast.refresher.service.config;

import static io.tokencast.refresher.service.config.TestProperties.app;
import static io.tokencast.refresher.service.config.TestProperties.assertProblems;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokencast.refresher.config.CredentialCatalog;
import io.tokencast.refresher.service.ConfigurationCheck;
import io.tokencast.refresher.wechat.ManagedCredential;
import io.tokencast.refresher.wechat.WeChatApi;
import io.tokencast.schema.TokenKey;
import org.junit.jupiter.api.Test;

class CredentialCatalogTest {

    private static final String SECRET = "test-only-secret-not-a-real-one1";

    @Test
    void turnsAppsIntoManagedCredentials() {
        CredentialCatalog catalog = ConfigurationCheck.catalog(TestProperties.of(
                        "tokencast.apps[0].kind", "wechat-access-token",
                        "tokencast.apps[0].account", "wx0000000000000001",
                        "tokencast.apps[0].secret", SECRET,
                        "tokencast.apps[1].kind", "wechat-access-token",
                        "tokencast.apps[1].account", "wx0000000000000002",
                        "tokencast.apps[1].secret", SECRET,
                        "tokencast.apps[1].api", "classic",
                        "tokencast.apps[2].kind", "wecom-access-token",
                        "tokencast.apps[2].account", "ww0123456789abcdef.1000002",
                        "tokencast.apps[2].secret", SECRET)
                .bind());

        assertThat(catalog.all())
                .extracting(ManagedCredential::key, ManagedCredential::api)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                TokenKey.parse("wechat-access-token/wx0000000000000001"), WeChatApi.STABLE),
                        org.assertj.core.groups.Tuple.tuple(
                                TokenKey.parse("wechat-access-token/wx0000000000000002"), WeChatApi.CLASSIC),
                        org.assertj.core.groups.Tuple.tuple(
                                TokenKey.parse("wecom-access-token/ww0123456789abcdef.1000002"), WeChatApi.WECOM));
        assertThat(catalog.find(TokenKey.parse("wechat-access-token/wx0000000000000002")))
                .map(ManagedCredential::secret)
                .contains(SECRET);
        assertThat(catalog.find(TokenKey.parse("wechat-access-token/wx0000000000000009")))
                .isEmpty();
    }

    @Test
    void acceptsNoAppsAtAll() {
        assertThat(ConfigurationCheck.catalog(TestProperties.of().bind()).all()).isEmpty();
    }

    @Test
    void apiNamesIgnoreCase() {
        CredentialCatalog catalog = ConfigurationCheck.catalog(app("wechat-access-token", "wx1", SECRET)
                .with("tokencast.apps[0].api", "Classic")
                .bind());

        assertThat(catalog.all())
                .singleElement()
                .extracting(ManagedCredential::api)
                .isEqualTo(WeChatApi.CLASSIC);
    }

    @Test
    void rejectsAnUnknownKind() {
        assertProblems(
                app("wechat-acess-token", "wx1", SECRET),
                "tokencast.apps[0].kind: unknown kind 'wechat-acess-token'; supported: wechat-access-token,"
                        + " wecom-access-token, wechat-jsapi-ticket, wechat-card-ticket, wecom-jsapi-ticket,"
                        + " wecom-agent-jsapi-ticket");
    }

    @Test
    void sendsOpenPlatformKindsToTheirOwnProperties() {
        assertProblems(
                app("wechat-component-access-token", "wx1", SECRET),
                "tokencast.apps[0].kind: kind 'wechat-component-access-token' is configured under"
                        + " tokencast.open-platform.components and tokencast.open-platform.authorizers, not"
                        + " tokencast.apps");
    }

    @Test
    void rejectsAMissingKind() {
        assertProblems(
                TestProperties.of("tokencast.apps[0].account", "wx1", "tokencast.apps[0].secret", SECRET),
                "tokencast.apps[0].kind: missing; supported: wechat-access-token, wecom-access-token,"
                        + " wechat-jsapi-ticket, wechat-card-ticket, wecom-jsapi-ticket, wecom-agent-jsapi-ticket");
    }

    @Test
    void rejectsAnAccountTheTokenKeyRulesRefuse() {
        assertProblems(
                app("wechat-access-token", "wx1/evil", SECRET),
                "tokencast.apps[0].account: token key 'wechat-access-token/wx1/evil' has a '/' in its account");
    }

    @Test
    void rejectsAnAccountWithWhitespace() {
        assertProblems(
                app("wechat-access-token", "wx 1", SECRET),
                "tokencast.apps[0].account: token key 'wechat-access-token/wx 1' has whitespace in its account");
    }

    @Test
    void rejectsAWeComAccountWithoutAgentId() {
        assertProblems(
                app("wecom-access-token", "ww0123456789abcdef", SECRET),
                "tokencast.apps[0].account: 'ww0123456789abcdef' is not corpid.agentid, e.g."
                        + " ww0123456789abcdef.1000002");
    }

    @Test
    void rejectsADuplicateKey() {
        assertProblems(
                app("wechat-access-token", "wx1", SECRET)
                        .with("tokencast.apps[1].kind", "wechat-access-token")
                        .with("tokencast.apps[1].account", "wx1")
                        .with("tokencast.apps[1].secret", "another")
                        .with("tokencast.apps[1].api", "classic"),
                "tokencast.apps[1]: duplicate key wechat-access-token/wx1, already tokencast.apps[0]; list each"
                        + " credential once");
    }

    @Test
    void rejectsAMissingSecret() {
        assertProblems(
                TestProperties.of("tokencast.apps[0].kind", "wechat-access-token", "tokencast.apps[0].account", "wx1"),
                "tokencast.apps[0].secret: missing");
    }

    @Test
    void rejectsABlankSecret() {
        assertProblems(app("wechat-access-token", "wx1", "   "), "tokencast.apps[0].secret: missing");
    }

    @Test
    void rejectsASecretWithSurroundingWhitespaceWithoutPrintingIt() {
        assertProblems(
                app("wechat-access-token", "wx1", SECRET + " "),
                "tokencast.apps[0].secret: has leading or trailing whitespace (a copy-paste slip?); WeChat would"
                        + " reject it");
    }

    @Test
    void rejectsAnUnknownApi() {
        assertProblems(
                app("wechat-access-token", "wx1", SECRET).with("tokencast.apps[0].api", "wecom"),
                "tokencast.apps[0].api: unknown api 'wecom'; use stable (default) or classic");
    }

    @Test
    void ignoresTheApiOfAWeComCredential() {
        CredentialCatalog catalog = ConfigurationCheck.catalog(app("wecom-access-token", "ww1.1000002", SECRET)
                .with("tokencast.apps[0].api", "classic")
                .bind());

        assertThat(catalog.all())
                .singleElement()
                .extracting(ManagedCredential::api)
                .isEqualTo(WeChatApi.WECOM);
    }
}
