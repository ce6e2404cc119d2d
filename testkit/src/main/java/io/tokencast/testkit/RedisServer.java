package io.tokencast.testkit;

/** A real Redis for a test: a local {@code redis-server} child process or a container. */
public interface RedisServer extends AutoCloseable {

    String host();

    int port();

    /** {@code redis://host:port}, the form of {@code spring.data.redis.url}. */
    default String url() {
        return "redis://" + host() + ":" + port();
    }

    /** Stops the server; {@link #close()} does the same. */
    @Override
    void close();
}
