package io.tokencast.refresher.service;

import io.tokencast.testkit.LocalInfrastructure;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/** A connection to the testkit's shared Redis, for integration tests that use Redis without a Spring context. */
public final class SharedRedis implements AutoCloseable {

    private final LettuceConnectionFactory connections;
    private final StringRedisTemplate template;

    private SharedRedis(LettuceConnectionFactory connections) {
        this.connections = connections;
        this.template = new StringRedisTemplate(connections);
    }

    /** Connects, starting the shared Redis if this JVM has not yet. */
    public static SharedRedis connect() {
        var server = LocalInfrastructure.shared().redis();
        LettuceConnectionFactory connections =
                new LettuceConnectionFactory(new RedisStandaloneConfiguration(server.host(), server.port()));
        connections.afterPropertiesSet();
        connections.start();
        return new SharedRedis(connections);
    }

    public StringRedisTemplate template() {
        return template;
    }

    @Override
    public void close() {
        connections.destroy();
    }
}
