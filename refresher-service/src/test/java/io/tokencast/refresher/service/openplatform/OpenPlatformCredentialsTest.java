package io.tokencast.refresher.service.openplatform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokencast.refresher.config.CredentialCatalog;
import io.tokencast.refresher.service.ConfigurationCheck;
import io.tokencast.refresher.service.config.InvalidConfigurationException;
import io.tokencast.refresher.service.config.TokencastProperties;
import io.tokencast.refresher.wechat.ManagedCredential;
import io.tokencast.refresher.wechat.WeChatApi;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class OpenPlatformCredentialsTest {

    private static final String KEY = MessageCryptoTest.KEY;

    private final Map<String, String> values = new LinkedHashMap<>();

    private OpenPlatformCredentialsTest with(String key, String value) {
        values.put(key, value);
        return this;
    }

    private OpenPlatformCredentialsTest component(int i, String appid) {
        return with("tokencast.open-platform.components[" + i + "].appid", appid)
                .with("tokencast.open-platform.components[" + i + "].secret", "component-secret-value")
                .with("tokencast.open-platform.components[" + i + "].encoding-aes-key", KEY)
                .with("tokencast.open-platform.components[" + i + "].callback-token", "callback-token-value");
    }

    private OpenPlatformCredentialsTest authorizer(int i, String component, String authorizer) {
        return with("tokencast.open-platform.authorizers[" + i + "].component-appid", component)
                .with("tokencast.open-platform.authorizers[" + i + "].authorizer-appid", authorizer)
                .with("tokencast.open-platform.authorizers[" + i + "].refresh-token", "refresh-token-value");
    }

    private CredentialCatalog catalog() {
        Binder binder = new Binder(new MapConfigurationPropertySource(values));
        OpenPlatformCredentials more = OpenPlatformCredentials.check(
                binder.bindOrCreate("tokencast.open-platform", OpenPlatformProperties.class));
        return ConfigurationCheck.catalog(
                binder.bindOrCreate("tokencast", TokencastProperties.class),
                more.credentials(),
                more.problems(),
                CredentialCatalog.Registry.NONE);
    }

    @Test
    void addsComponentAuthorizerAndTicketCredentialsToTheCatalog() {
        component(0, "wxcomponent01")
                .authorizer(0, "wxcomponent01", "wxauthorizer01")
                .with("tokencast.apps[0].kind", "wechat-access-token")
                .with("tokencast.apps[0].account", "wxapp01")
                .with("tokencast.apps[0].secret", "app-secret-value")
                .with("tokencast.apps[1].kind", "wechat-jsapi-ticket")
                .with("tokencast.apps[1].account", "wxapp01")
                .with("tokencast.apps[2].kind", "wechat-card-ticket")
                .with("tokencast.apps[2].account", "wxapp01");

        assertThat(catalog().all())
                .extracting(c -> c.key().asString(), ManagedCredential::api)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("wechat-access-token/wxapp01", WeChatApi.STABLE),
                        org.assertj.core.groups.Tuple.tuple("wechat-jsapi-ticket/wxapp01", WeChatApi.JSAPI_TICKET),
                        org.assertj.core.groups.Tuple.tuple("wechat-card-ticket/wxapp01", WeChatApi.CARD_TICKET),
                        org.assertj.core.groups.Tuple.tuple(
                                "wechat-component-access-token/wxcomponent01", WeChatApi.COMPONENT),
                        org.assertj.core.groups.Tuple.tuple(
                                "wechat-authorizer-access-token/wxcomponent01.wxauthorizer01", WeChatApi.AUTHORIZER));
    }

    @Test
    void reportsEveryOpenPlatformProblemWithTheOthersAndNoSecret() {
        with("tokencast.open-platform.components[0].appid", "wxcomponent01")
                .with("tokencast.open-platform.components[0].secret", "component-secret-value")
                .with("tokencast.open-platform.components[0].encoding-aes-key", "too-short-secret-key")
                .with("tokencast.open-platform.components[0].previous-encoding-aes-key", "x".repeat(44))
                .authorizer(0, "wxnotacomponent", "wxauthorizer01")
                .with("tokencast.apps[0].kind", "wechat-jsapi-ticket")
                .with("tokencast.apps[0].account", "wxnoapp");

        assertThatThrownBy(this::catalog).isInstanceOfSatisfying(InvalidConfigurationException.class, e -> {
            assertThat(e.problems())
                    .containsExactly(
                            "tokencast.apps[0].account: wechat-jsapi-ticket/wxnoapp is fetched with"
                                    + " wechat-access-token/wxnoapp, which is not in tokencast.apps; add that app"
                                    + " (kind wechat-access-token, with its secret)",
                            "tokencast.open-platform.components[0].callback-token: missing",
                            "tokencast.open-platform.components[0].encoding-aes-key: must be 43 characters"
                                    + " [A-Za-z0-9], was 20 characters",
                            "tokencast.open-platform.components[0].previous-encoding-aes-key: must be 43 characters"
                                    + " [A-Za-z0-9], was 44 characters",
                            "tokencast.open-platform.authorizers[0].component-appid: wxnotacomponent is not in"
                                    + " tokencast.open-platform.components");
            assertThat(e.getMessage()).doesNotContain("secret-value").doesNotContain("too-short-secret-key");
        });
    }

    @Test
    void rejectsDuplicates() {
        component(0, "wxcomponent01")
                .component(1, "wxcomponent01")
                .authorizer(0, "wxcomponent01", "wxa")
                .authorizer(1, "wxcomponent01", "wxa");

        assertThatThrownBy(this::catalog)
                .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> assertThat(e.problems())
                        .containsExactly(
                                "tokencast.open-platform.components[1].appid: duplicate component wxcomponent01; list each"
                                        + " component once",
                                "tokencast.open-platform.authorizers[1]: duplicate authorizer wxcomponent01.wxa; list each"
                                        + " authorizer once"));
    }

    @Test
    void propertiesNeverPrintSecrets() {
        component(0, "wxcomponent01").authorizer(0, "wxcomponent01", "wxa");

        String printed = new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("tokencast.open-platform", OpenPlatformProperties.class)
                .toString();

        assertThat(printed).contains("wxcomponent01").doesNotContain("value").doesNotContain(KEY);
    }
}
