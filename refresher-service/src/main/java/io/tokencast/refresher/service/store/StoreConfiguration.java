package io.tokencast.refresher.service.store;

import io.lettuce.core.ClientOptions;
import io.tokencast.refresher.service.config.TokencastProperties;
import io.tokencast.refresher.signing.RecordSigning;
import io.tokencast.refresher.store.TokenStore;
import java.time.Clock;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

/** Exposes the Redis {@link TokenStore} and tunes the Lettuce client for outages. */
@Configuration(proxyBeanMethods = false)
class StoreConfiguration {

    @Bean
    TokenStore tokenStore(
            StringRedisTemplate redis, TokencastProperties properties, Clock clock, RecordSigning recordSigning) {
        return new RedisTokenStore(redis, properties.redis().keyPrefix(), clock, recordSigning);
    }

    /**
     * Lettuce's default queues commands while Redis is unreachable and sends them on reconnect. For the
     * refresher that is the wrong trade: every tick, lock attempt and health probe would wait out the full
     * command timeout, and a command that did not time out yet (a quota count, a lock) would land after the
     * caller moved on. Failing at once lets the tick give up and retry one tick later against fresh state.
     */
    @Bean
    LettuceClientOptionsBuilderCustomizer rejectCommandsWhileRedisIsUnreachable() {
        return options -> options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
    }
}
