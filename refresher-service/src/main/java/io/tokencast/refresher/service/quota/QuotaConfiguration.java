package io.tokencast.refresher.service.quota;

import io.tokencast.refresher.quota.QuotaGuard;
import io.tokencast.refresher.service.config.TokencastProperties;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

/** Exposes the Redis-backed {@link QuotaGuard} with the budgets of {@code tokencast.quota.*}. */
@Configuration(proxyBeanMethods = false)
public class QuotaConfiguration {

    @Bean
    QuotaGuard quotaGuard(StringRedisTemplate redis, TokencastProperties properties, Clock clock) {
        return new RedisQuotaGuard(redis, properties.redis().keyPrefix(), properties.quota(), clock);
    }
}
