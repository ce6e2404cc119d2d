package io.tokencast.refresher.service.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokencast.refresher.config.CredentialCatalog;
import io.tokencast.refresher.service.CatalogConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** A wrong configuration stops start-up with every problem in Spring Boot's failure report. */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureTest {

    private static final String[] BROKEN = {
        "--tokencast.apps[0].kind=wechat-access-token",
        "--tokencast.apps[0].account=wx0000000000000001",
        "--tokencast.apps[0].secret=the-real-secret-value",
        "--tokencast.apps[0].api=fast",
        "--tokencast.apps[1].kind=wechat-card-ticket",
        "--tokencast.apps[1].account=wx0000000000000002",
        "--tokencast.apps[1].secret=another-secret-value",
        "--tokencast.wecom.api-base-url=qyapi.weixin.qq.com"
    };

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(TokencastProperties.class)
    @Import(CatalogConfiguration.class)
    static class CatalogOnly {}

    @Test
    void startUpFailsWithEveryProblemAndAFix(CapturedOutput output) {
        SpringApplication application = new SpringApplication(CatalogOnly.class);
        application.setWebApplicationType(WebApplicationType.NONE);

        assertThatThrownBy(() -> application.run(BROKEN)).hasRootCauseInstanceOf(InvalidConfigurationException.class);

        assertThat(output.getOut() + output.getErr())
                .contains("APPLICATION FAILED TO START")
                .contains("tokencast configuration has 3 problems:")
                .contains("tokencast.wecom.api-base-url: 'qyapi.weixin.qq.com' is not an absolute http(s) URL")
                .contains("tokencast.apps[0].api: unknown api 'fast'; use stable (default) or classic")
                .contains("tokencast.apps[1].account: wechat-card-ticket/wx0000000000000002 is fetched with"
                        + " wechat-access-token/wx0000000000000002, which is not in tokencast.apps")
                .contains("Fix the properties listed above")
                .doesNotContain("secret-value");
    }

    @Test
    void theContextDoesNotStartWithAWrongConfiguration() {
        new ApplicationContextRunner()
                .withUserConfiguration(CatalogOnly.class)
                .withPropertyValues("tokencast.apps[0].kind=wechat-access-token", "tokencast.apps[0].account=wx1")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .isInstanceOf(InvalidConfigurationException.class)
                        .hasMessageContaining("tokencast.apps[0].secret: missing"));
    }

    @Test
    void theContextStartsWithAGoodConfiguration() {
        new ApplicationContextRunner()
                .withUserConfiguration(CatalogOnly.class)
                .withPropertyValues(
                        "tokencast.apps[0].kind=wechat-access-token",
                        "tokencast.apps[0].account=wx1",
                        "tokencast.apps[0].secret=s")
                .run(context -> assertThat(
                                context.getBean(CredentialCatalog.class).all())
                        .hasSize(1));
    }
}
