package io.tokencast.testkit;

import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real Kafka and Redis for tests: one broker and one Redis per JVM, started on first use and stopped at
 * exit. Tests isolate themselves with {@link #uniqueName(String) unique} topic names and key prefixes.
 *
 * <p>Where a Docker engine answers, Testcontainers runs them; otherwise an embedded KRaft broker and a
 * {@code redis-server} child process do. Force a choice with the system property
 * {@code tokencast.testkit.infrastructure} or the environment variable
 * {@code TOKENCAST_TESTKIT_INFRASTRUCTURE}: {@code containers}, {@code local} or {@code auto} (default).
 */
public final class LocalInfrastructure {

    /** How the infrastructure is provided. */
    public enum Mode {
        CONTAINERS,
        LOCAL_PROCESSES
    }

    private static final Logger log = LoggerFactory.getLogger(LocalInfrastructure.class);
    private static final AtomicLong NAMES = new AtomicLong();
    private static volatile LocalInfrastructure shared;

    private final Mode mode;
    private final KafkaBroker kafka;
    private final RedisServer redis;

    private LocalInfrastructure(Mode mode, KafkaBroker kafka, RedisServer redis) {
        this.mode = mode;
        this.kafka = kafka;
        this.redis = redis;
    }

    /** The JVM's shared broker and Redis, started on first call. */
    public static LocalInfrastructure shared() {
        LocalInfrastructure current = shared;
        if (current == null) {
            synchronized (LocalInfrastructure.class) {
                current = shared;
                if (current == null) {
                    current = start(chooseMode());
                    Runtime.getRuntime().addShutdownHook(new Thread(current::stop, "tokencast-testkit-stop"));
                    shared = current;
                }
            }
        }
        return current;
    }

    /**
     * A Redis of the test's own, for tests that stop or restart it. Locally it is a child process; the
     * caller closes it.
     */
    public static RedisServerProcess dedicatedRedis() {
        return RedisServerProcess.start();
    }

    /**
     * A Kafka broker of the test's own, for tests that kill or restart it: a child JVM on a free port that
     * keeps its data across {@link KafkaBrokerProcess#restart()}. The caller closes it.
     */
    public static KafkaBrokerProcess dedicatedKafka() {
        return KafkaBrokerProcess.start();
    }

    /** A name no other test in this JVM gets, for topics, consumer groups and key prefixes. */
    public static String uniqueName(String prefix) {
        return prefix + "-" + NAMES.incrementAndGet() + "-"
                + UUID.randomUUID().toString().substring(0, 8);
    }

    public Mode mode() {
        return mode;
    }

    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    public RedisServer redis() {
        return redis;
    }

    /** {@code redis://host:port} of the shared Redis. */
    public String redisUrl() {
        return redis.url();
    }

    private static LocalInfrastructure start(Mode mode) {
        long started = System.nanoTime();
        LocalInfrastructure infrastructure = mode == Mode.CONTAINERS
                ? new LocalInfrastructure(mode, Containers.kafka(), Containers.redis())
                : new LocalInfrastructure(mode, EmbeddedKafka.start(), RedisServerProcess.start());
        log.info(
                "tokencast test infrastructure mode={} kafka={} redis={} startedInMs={}",
                mode,
                infrastructure.kafkaBootstrapServers(),
                infrastructure.redisUrl(),
                (System.nanoTime() - started) / 1_000_000);
        return infrastructure;
    }

    private void stop() {
        try {
            kafka.close();
        } finally {
            redis.close();
        }
    }

    static Mode chooseMode() {
        String forced = System.getProperty("tokencast.testkit.infrastructure");
        if (forced == null) {
            forced = System.getenv("TOKENCAST_TESTKIT_INFRASTRUCTURE");
        }
        String choice = forced == null ? "auto" : forced.trim().toLowerCase(Locale.ROOT);
        switch (choice) {
            case "containers", "docker", "testcontainers" -> {
                log.info("test infrastructure forced to containers");
                return Mode.CONTAINERS;
            }
            case "local", "processes", "embedded" -> {
                log.info("test infrastructure forced to local processes (embedded KRaft broker, redis-server)");
                return Mode.LOCAL_PROCESSES;
            }
            case "auto", "" -> {
                boolean docker = Containers.dockerAvailable();
                log.info(
                        "test infrastructure auto-selected: {}",
                        docker
                                ? "containers (a Docker engine answered)"
                                : "local processes (no Docker engine: embedded KRaft broker, redis-server child)");
                return docker ? Mode.CONTAINERS : Mode.LOCAL_PROCESSES;
            }
            default -> throw new IllegalArgumentException(
                    "tokencast.testkit.infrastructure='" + forced + "' is not one of: auto, containers, local");
        }
    }
}
