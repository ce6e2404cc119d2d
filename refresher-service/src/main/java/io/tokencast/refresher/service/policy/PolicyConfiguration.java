package io.tokencast.refresher.service.policy;

import io.tokencast.refresher.policy.FetchRateLimiter;
import io.tokencast.refresher.policy.RefreshPolicy;
import io.tokencast.refresher.policy.StandardRefreshPolicy;
import io.tokencast.refresher.service.config.TokencastProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Exposes the refresh rules and the fetch rate limit from {@code tokencast.refresh.*}. */
@Configuration(proxyBeanMethods = false)
public class PolicyConfiguration {

    @Bean
    RefreshPolicy refreshPolicy(TokencastProperties properties) {
        TokencastProperties.Refresh refresh = properties.refresh();
        return new StandardRefreshPolicy(refresh.retryInitial(), refresh.retryMax(), refresh.permanentFailureDelay());
    }

    @Bean
    FetchRateLimiter fetchRateLimiter(TokencastProperties properties) {
        return new FetchRateLimiter(properties.refresh().maxFetchesPerSecond());
    }
}
