package io.tokencast.testkit;

/** A real Kafka broker for a test: an embedded KRaft broker or a container. */
public interface KafkaBroker extends AutoCloseable {

    /** The {@code bootstrap.servers} value. */
    String bootstrapServers();

    @Override
    void close();
}
