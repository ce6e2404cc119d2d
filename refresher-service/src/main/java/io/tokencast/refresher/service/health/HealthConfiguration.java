package io.tokencast.refresher.service.health;

import io.tokencast.refresher.config.CredentialCatalog;
import io.tokencast.refresher.leader.Leadership;
import io.tokencast.refresher.service.config.TokencastProperties;
import io.tokencast.refresher.store.TokenStore;
import io.tokencast.refresher.wechat.ManagedCredential;
import java.time.Clock;
import org.apache.kafka.clients.admin.Admin;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Registers the {@code tokencast} health indicator and the {@code tokencastReadiness} one of the readiness group
 * (each named by its bean name minus {@code HealthIndicator}; the groups are in application.yml).
 */
@Configuration(proxyBeanMethods = false)
class HealthConfiguration {

    @Bean
    HealthIndicator tokencastHealthIndicator(
            RedisConnectionFactory redis,
            Admin tokencastAdmin,
            TokenStore store,
            Leadership leadership,
            CredentialCatalog catalog,
            Clock clock,
            TokencastProperties properties) {
        return new TokencastHealthIndicator(
                redis,
                tokencastAdmin,
                store,
                leadership,
                () -> catalog.all().stream().map(ManagedCredential::key).toList(),
                clock,
                properties.instanceId());
    }

    @Bean
    HealthIndicator tokencastReadinessHealthIndicator(
            RedisConnectionFactory redis, Admin tokencastAdmin, Leadership leadership) {
        return new ReadinessHealthIndicator(redis, tokencastAdmin, leadership);
    }
}
