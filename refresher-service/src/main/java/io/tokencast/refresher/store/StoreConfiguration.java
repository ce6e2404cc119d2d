package io.tokencast.refresher.store;

import io.tokencast.refresher.config.TokencastProperties;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

/** Exposes the Redis {@link TokenStore}. */
@Configuration(proxyBeanMethods = false)
class StoreConfiguration {

    @Bean
    TokenStore tokenStore(StringRedisTemplate redis, TokencastProperties properties, Clock clock) {
        return new RedisTokenStore(redis, properties.redis().keyPrefix(), clock);
    }
}
