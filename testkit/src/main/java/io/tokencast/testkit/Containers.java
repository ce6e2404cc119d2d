package io.tokencast.testkit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/** Kafka and Redis as Testcontainers, for machines with a Docker engine. */
final class Containers {

    private static final Logger log = LoggerFactory.getLogger(Containers.class);
    static final String KAFKA_IMAGE = "apache/kafka:4.2.0";
    static final String REDIS_IMAGE = "redis:7.4-alpine";

    private Containers() {}

    static boolean dockerAvailable() {
        if (!dockerConfigured()) {
            // Asking Testcontainers would only log an ERROR for every strategy it tries.
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            log.debug("no Docker engine: {}", e.toString());
            return false;
        }
    }

    /** A socket, DOCKER_HOST or a Testcontainers config file: only then is it worth asking. */
    private static boolean dockerConfigured() {
        return System.getenv("DOCKER_HOST") != null
                || java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/docker.sock"))
                || java.nio.file.Files.exists(
                        java.nio.file.Path.of(System.getProperty("user.home"), ".testcontainers.properties"))
                || java.nio.file.Files.exists(
                        java.nio.file.Path.of(System.getProperty("user.home"), ".docker", "run", "docker.sock"));
    }

    static KafkaBroker kafka() {
        KafkaContainer container = new KafkaContainer(DockerImageName.parse(KAFKA_IMAGE));
        container.start();
        return new KafkaBroker() {
            @Override
            public String bootstrapServers() {
                return container.getBootstrapServers();
            }

            @Override
            public void close() {
                container.stop();
            }
        };
    }

    static RedisServer redis() {
        GenericContainer<?> container =
                new GenericContainer<>(DockerImageName.parse(REDIS_IMAGE)).withExposedPorts(6379);
        container.start();
        return new RedisServer() {
            @Override
            public String host() {
                return container.getHost();
            }

            @Override
            public int port() {
                return container.getMappedPort(6379);
            }

            @Override
            public void close() {
                container.stop();
            }
        };
    }
}
