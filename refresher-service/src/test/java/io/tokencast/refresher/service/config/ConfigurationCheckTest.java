package io.tokencast.refresher.service.config;

import static io.tokencast.refresher.service.config.TestProperties.app;
import static io.tokencast.refresher.service.config.TestProperties.assertProblems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokencast.refresher.config.CredentialCatalog;
import io.tokencast.refresher.service.ConfigurationCheck;
import org.junit.jupiter.api.Test;

/**
 * The settings beside the apps (WeChat hosts, instance id, topics, admin), each checked by its feature, and
 * every problem of them all reported at once in ConfigurationCheck's order.
 */
class ConfigurationCheckTest {

    private static final String SECRET = "test-only-secret-not-a-real-one1";

    @Test
    void rejectsARelativeApiBaseUrl() {
        assertProblems(
                TestProperties.of("tokencast.wechat.api-base-url", "api.weixin.qq.com"),
                "tokencast.wechat.api-base-url: 'api.weixin.qq.com' is not an absolute http(s) URL, e.g."
                        + " https://api.weixin.qq.com or the sandbox's http://127.0.0.1:8081");
    }

    @Test
    void rejectsANonHttpApiBaseUrl() {
        assertProblems(
                TestProperties.of("tokencast.wecom.api-base-url", "ftp://qyapi.weixin.qq.com"),
                "tokencast.wecom.api-base-url: 'ftp://qyapi.weixin.qq.com' is not an absolute http(s) URL, e.g."
                        + " https://api.weixin.qq.com or the sandbox's http://127.0.0.1:8081");
    }

    @Test
    void refusesAPlainHttpApiBaseUrlUnlessAllowed() {
        assertProblems(
                TestProperties.of("tokencast.wechat.api-base-url", "http://api.weixin.qq.com"),
                "tokencast.wechat.api-base-url: 'http://api.weixin.qq.com' is plain http: AppSecrets and tokens would"
                        + " cross the network unencrypted; use https, or set"
                        + " tokencast.wechat.allow-insecure-base-url=true for a local sandbox (tests and the demo do)");
        // Each host has its own switch: allowing WeChat's does not allow WeCom's.
        assertProblems(
                TestProperties.of(
                        "tokencast.wechat.allow-insecure-base-url", "true",
                        "tokencast.wecom.api-base-url", "http://127.0.0.1:8081"),
                "tokencast.wecom.api-base-url: 'http://127.0.0.1:8081' is plain http: AppSecrets and tokens would"
                        + " cross the network unencrypted; use https, or set"
                        + " tokencast.wecom.allow-insecure-base-url=true for a local sandbox (tests and the demo do)");
    }

    @Test
    void acceptsAPlainHttpApiBaseUrlWhenAllowed() {
        CredentialCatalog catalog = ConfigurationCheck.catalog(app("wechat-access-token", "wx1", SECRET)
                .with("tokencast.wechat.api-base-url", "http://127.0.0.1:8081")
                .with("tokencast.wechat.allow-insecure-base-url", "true")
                .bind());

        assertThat(catalog.all()).hasSize(1);
    }

    @Test
    void rejectsABlankInstanceId() {
        assertProblems(
                TestProperties.of("tokencast.instance-id", " "),
                "tokencast.instance-id: blank; name this replica (default ${HOSTNAME:refresher})");
    }

    @Test
    void rejectsATopicNameKafkaRefuses() {
        assertProblems(
                TestProperties.of("tokencast.topics.tokens", "tokens/v1"),
                "tokencast.topics.tokens: 'tokens/v1' is not a valid Kafka topic name; use letters, digits, '.',"
                        + " '_' and '-' (not '.' or '..' alone)");
    }

    @Test
    void rejectsATooLongTopicName() {
        assertProblems(
                TestProperties.of("tokencast.topics.audit", "a".repeat(250)),
                "tokencast.topics.audit: is 250 characters; Kafka allows 249");
    }

    @Test
    void rejectsTwoTopicsWithOneName() {
        assertProblems(
                TestProperties.of("tokencast.topics.admin", "tokencast.tokens"),
                "tokencast.topics.admin: 'tokencast.tokens' is also tokencast.topics.tokens; every topic needs its"
                        + " own name");
    }

    @Test
    void rejectsAReportsTopicThatIsTheAdminTopic() {
        assertProblems(
                TestProperties.of("tokencast.topics.reports", "tokencast.token-admin"),
                "tokencast.topics.reports: 'tokencast.token-admin' is also tokencast.topics.admin; every topic needs"
                        + " its own name");
    }

    @Test
    void rejectsALedgerThatForgetsCommandsWhileTheyAreFresh() {
        assertProblems(
                TestProperties.of("tokencast.admin.command-freshness", "15m", "tokencast.admin.dedup-window", "20m"),
                "tokencast.admin.dedup-window: PT20M is shorter than twice tokencast.admin.command-freshness (PT15M);"
                        + " a replayed command could run twice");
    }

    @Test
    void reportsEveryProblemAtOnceWithoutPrintingSecrets() {
        TestProperties properties = TestProperties.of(
                "tokencast.instance-id", "",
                "tokencast.topics.tokens", "bad topic",
                "tokencast.wechat.api-base-url", "not-absolute",
                "tokencast.apps[0].kind", "nope",
                "tokencast.apps[0].account", "wx1",
                "tokencast.apps[0].secret", "first-secret-value",
                "tokencast.apps[1].kind", "wechat-authorizer-access-token",
                "tokencast.apps[1].account", "wx2",
                "tokencast.apps[1].secret", "second-secret-value",
                "tokencast.apps[2].kind", "wechat-access-token",
                "tokencast.apps[2].account", "wx 3",
                "tokencast.apps[2].secret", "third-secret-value",
                "tokencast.apps[3].kind", "wechat-access-token",
                "tokencast.apps[3].account", "wx4",
                "tokencast.apps[4].kind", "wechat-access-token",
                "tokencast.apps[4].account", "wx5",
                "tokencast.apps[4].secret", "fifth-secret-value",
                "tokencast.apps[4].api", "turbo",
                "tokencast.apps[5].kind", "wechat-access-token",
                "tokencast.apps[5].account", "wx6",
                "tokencast.apps[5].secret", "sixth-secret-value",
                "tokencast.apps[6].kind", "wechat-access-token",
                "tokencast.apps[6].account", "wx6",
                "tokencast.apps[6].secret", "seventh-secret-value");

        assertThatThrownBy(() -> ConfigurationCheck.catalog(properties.bind()))
                .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> {
                    assertThat(e.problems())
                            .extracting(p -> p.substring(0, p.indexOf(':')))
                            .containsExactly(
                                    "tokencast.instance-id",
                                    "tokencast.topics.tokens",
                                    "tokencast.wechat.api-base-url",
                                    "tokencast.apps[0].kind",
                                    "tokencast.apps[1].kind",
                                    "tokencast.apps[2].account",
                                    "tokencast.apps[3].secret",
                                    "tokencast.apps[4].api",
                                    "tokencast.apps[6]");
                    assertThat(e.getMessage().lines()).first().isEqualTo("tokencast configuration has 9 problems:");
                    assertThat(e.getMessage().lines().skip(1).map(String::strip))
                            .containsExactlyElementsOf(e.problems());
                    assertThat(e.getMessage()).doesNotContain("secret-value");
                });
    }
}
