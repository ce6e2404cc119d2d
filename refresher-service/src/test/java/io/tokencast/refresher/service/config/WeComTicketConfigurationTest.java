package io.tokencast.refresher.service.config;

import static io.tokencast.refresher.service.config.TestProperties.assertProblems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.tokencast.refresher.config.CredentialCatalog;
import io.tokencast.refresher.service.ConfigurationCheck;
import io.tokencast.refresher.wechat.ManagedCredential;
import io.tokencast.refresher.wechat.TicketTokens;
import io.tokencast.refresher.wechat.WeChatApi;
import io.tokencast.schema.TokenKey;
import org.junit.jupiter.api.Test;

class WeComTicketConfigurationTest {

    private static final String SECRET = "test-only-secret-not-a-real-one1";
    private static final String CORP = "ww0123456789abcdef";

    @Test
    void aCorpTicketAndAnAgentTicketAreFetchedWithoutSecretsWithTheirAppsTokens() {
        CredentialCatalog catalog = ConfigurationCheck.catalog(wecomApps()
                .with("tokencast.apps[2].kind", "wecom-jsapi-ticket")
                .with("tokencast.apps[2].account", CORP)
                .with("tokencast.apps[3].kind", "wecom-agent-jsapi-ticket")
                .with("tokencast.apps[3].account", CORP + ".1000003")
                .bind());

        assertThat(catalog.all())
                .extracting(ManagedCredential::key, ManagedCredential::api, ManagedCredential::secret)
                .endsWith(
                        tuple(TokenKey.parse("wecom-jsapi-ticket/" + CORP), WeChatApi.WECOM_JSAPI_TICKET, null),
                        tuple(
                                TokenKey.parse("wecom-agent-jsapi-ticket/" + CORP + ".1000003"),
                                WeChatApi.WECOM_AGENT_TICKET,
                                null));
        var managed = catalog.all().stream().map(ManagedCredential::key).toList();
        assertThat(TicketTokens.of(TokenKey.parse("wecom-jsapi-ticket/" + CORP), managed))
                .containsExactly(
                        TokenKey.parse("wecom-access-token/" + CORP + ".1000002"),
                        TokenKey.parse("wecom-access-token/" + CORP + ".1000003"));
        assertThat(TicketTokens.of(TokenKey.parse("wecom-agent-jsapi-ticket/" + CORP + ".1000003"), managed))
                .containsExactly(TokenKey.parse("wecom-access-token/" + CORP + ".1000003"));
    }

    @Test
    void aTicketWithoutItsAppsTokenIsAStartUpError() {
        assertProblems(
                wecomApps()
                        .with("tokencast.apps[2].kind", "wecom-jsapi-ticket")
                        .with("tokencast.apps[2].account", "ww-othercorp")
                        .with("tokencast.apps[3].kind", "wecom-agent-jsapi-ticket")
                        .with("tokencast.apps[3].account", CORP + ".1000009"),
                "tokencast.apps[2].account: wecom-jsapi-ticket/ww-othercorp is fetched with a token of one of the"
                        + " corp's apps (wecom-access-token/ww-othercorp.<agentid>), which is not in tokencast.apps;"
                        + " add that app (kind wecom-access-token, with its secret)",
                "tokencast.apps[3].account: wecom-agent-jsapi-ticket/" + CORP + ".1000009 is fetched with"
                        + " wecom-access-token/" + CORP + ".1000009, which is not in tokencast.apps; add that app"
                        + " (kind wecom-access-token, with its secret)");
    }

    @Test
    void accountsMustNameACorpOrAnApp() {
        assertProblems(
                wecomApps()
                        .with("tokencast.apps[2].kind", "wecom-jsapi-ticket")
                        .with("tokencast.apps[2].account", CORP + ".1000002")
                        .with("tokencast.apps[3].kind", "wecom-agent-jsapi-ticket")
                        .with("tokencast.apps[3].account", CORP),
                "tokencast.apps[2].account: '" + CORP + ".1000002' is not a corpid, e.g. ww0123456789abcdef (an"
                        + " app's ticket is kind wecom-agent-jsapi-ticket)",
                "tokencast.apps[3].account: '" + CORP + "' is not corpid.agentid, e.g. ww0123456789abcdef.1000002");
    }

    @Test
    void hourlyTicketLimitsDefaultToWeComsAndMustNotBeNegative() {
        TokencastProperties.Quota quota = TestProperties.of().bind().quota();
        assertThat(quota.wecomTicketHourlyPerCorp()).isEqualTo(400);
        assertThat(quota.wecomTicketHourlyPerApp()).isEqualTo(100);
        assertProblems(
                TestProperties.of("tokencast.quota.wecom-ticket-hourly-per-app", "-1"),
                "tokencast.quota.wecom-ticket-hourly-per-app: must be 0 or more, was -1");
    }

    private static TestProperties wecomApps() {
        return TestProperties.of(
                "tokencast.apps[0].kind",
                "wecom-access-token",
                "tokencast.apps[0].account",
                CORP + ".1000002",
                "tokencast.apps[0].secret",
                SECRET,
                "tokencast.apps[1].kind",
                "wecom-access-token",
                "tokencast.apps[1].account",
                CORP + ".1000003",
                "tokencast.apps[1].secret",
                SECRET);
    }
}
