package io.tokencast.refresher.service.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokencast.refresher.config.CredentialCatalog;
import io.tokencast.refresher.policy.FetchRateLimiter;
import io.tokencast.refresher.policy.RefreshPolicy;
import io.tokencast.refresher.quota.QuotaGuard;
import io.tokencast.refresher.service.CatalogConfiguration;
import io.tokencast.refresher.service.WeChatConfiguration;
import io.tokencast.refresher.service.policy.PolicyConfiguration;
import io.tokencast.refresher.service.quota.QuotaConfiguration;
import io.tokencast.refresher.wechat.CredentialSource;
import io.tokencast.refresher.wechat.FetchMode;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/** The refresher's building blocks wire from {@code tokencast.*} alone. */
class BeansFromPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(TokencastProperties.class)
    @Import({CatalogConfiguration.class, WeChatConfiguration.class, PolicyConfiguration.class, QuotaConfiguration.class
    })
    static class BuildingBlocks {}

    @Test
    void wiresEveryBuildingBlockFromTheProperties() {
        new ApplicationContextRunner()
                .withUserConfiguration(BuildingBlocks.class)
                .withBean(Clock.class, Clock::systemUTC)
                // Never connected: nothing here talks to Redis.
                .withBean(StringRedisTemplate.class, () -> new StringRedisTemplate(new LettuceConnectionFactory()))
                .withPropertyValues(
                        "tokencast.apps[0].kind=wechat-access-token",
                        "tokencast.apps[0].account=wx0000000000000001",
                        "tokencast.apps[0].secret=s",
                        "tokencast.refresh.max-fetches-per-second=7",
                        "tokencast.quota.stable-force-daily=3")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(CredentialSource.class);
                    assertThat(context).hasSingleBean(RefreshPolicy.class);
                    assertThat(context.getBean(FetchRateLimiter.class).maxPerSecond())
                            .isEqualTo(7);
                    CredentialCatalog catalog = context.getBean(CredentialCatalog.class);
                    assertThat(context.getBean(QuotaGuard.class)
                                    .dailyLimit(catalog.all().get(0), FetchMode.FORCE))
                            .isEqualTo(3);
                });
    }
}
