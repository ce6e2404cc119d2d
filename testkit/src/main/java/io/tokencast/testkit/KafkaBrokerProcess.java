package io.tokencast.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft Kafka broker in a child JVM that a test controls. {@link #kill()} is a real crash
 * (SIGKILL); {@link #restart()} brings the broker back on the same port with the same log directory and
 * cluster id, so clients reconnect by themselves and written records survive. {@link #close()} kills it
 * and deletes its directory.
 */
public final class KafkaBrokerProcess implements KafkaBroker {

    private static final Logger log = LoggerFactory.getLogger(KafkaBrokerProcess.class);
    // A child JVM starting Kafka on two busy cores takes several seconds; this is the worst case, not the norm.
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final String LOG_FILE = "broker.log";

    private final Path dir;
    private final int port;
    private final String clusterId;
    private final Path serverProperties;
    private Process process;

    /** A client listener beside the PLAINTEXT one, e.g. {@code new Listener("SASL_SSL", "SASL_SSL", port)}. */
    record Listener(String name, String securityProtocol, int port) {

        String address() {
            return name + "://127.0.0.1:" + port;
        }
    }

    private KafkaBrokerProcess(
            Path dir, int port, int controllerPort, List<Listener> listeners, Map<String, String> overrides) {
        this.dir = dir;
        this.port = port;
        this.clusterId = Uuid.randomUuid().toString();
        this.serverProperties = dir.resolve("server.properties");
        writeServerProperties(controllerPort, listeners, overrides);
    }

    /** Starts a broker on a free port, in a new directory. */
    public static KafkaBrokerProcess start() {
        return start(ChildProcesses.freePort());
    }

    /** Starts a broker on {@code port}, in a new directory. */
    public static KafkaBrokerProcess start(int port) {
        return start(port, List.of(), dir -> Map.of());
    }

    /**
     * Starts a broker on {@code port} with more client listeners and, on top of the defaults, the overrides
     * made for its directory (e.g. an authorizer, key stores). Start-up waits for the PLAINTEXT listener on
     * {@code port} to answer.
     */
    static KafkaBrokerProcess start(int port, List<Listener> listeners, Function<Path, Map<String, String>> overrides) {
        Path dir;
        try {
            dir = Files.createTempDirectory("tokencast-kafka-");
        } catch (IOException e) {
            throw new IllegalStateException("could not prepare a directory for the Kafka broker", e);
        }
        KafkaBrokerProcess broker =
                new KafkaBrokerProcess(dir, port, ChildProcesses.freePort(), listeners, overrides.apply(dir));
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kafka-broker-" + port + "-stop"));
        broker.launch();
        return broker;
    }

    @Override
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Whether the broker's process is running. */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Kills the broker (SIGKILL) without letting it flush or close anything; its directory stays. */
    public synchronized void kill() {
        if (process != null) {
            ChildProcesses.kill(process);
            log.info("kafka broker killed port={} pid={}", port, process.pid());
            process = null;
        }
    }

    /** Starts the broker again on the same port, log directory and cluster id; returns once it answers. */
    public synchronized void restart() {
        kill();
        launch();
    }

    /** Kills the broker and deletes its directory. */
    @Override
    public synchronized void close() {
        kill();
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                log.warn("could not delete the Kafka broker's directory dir={} cause={}", dir, e.toString());
            }
        }
    }

    private synchronized void launch() {
        long started = System.nanoTime();
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-XX:+UseSerialGC",
                // The broker runs for seconds to minutes: fast start-up matters more than peak speed.
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                KafkaBrokerMain.class.getName(),
                serverProperties.toString(),
                clusterId);
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            dir.resolve(LOG_FILE).toFile()))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("could not start a JVM for the Kafka broker", e);
        }
        awaitAnswer();
        log.info(
                "kafka broker started bootstrap={} pid={} dir={} startedInMs={}",
                bootstrapServers(),
                process.pid(),
                dir,
                (System.nanoTime() - started) / 1_000_000);
    }

    private void awaitAnswer() {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, 50,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200))) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the Kafka broker exited at start on port " + port + " with status "
                            + process.exitValue() + ": " + logTail());
                }
                if (describesCluster(admin)) {
                    return;
                }
            }
        }
        throw new IllegalStateException("the Kafka broker did not answer describeCluster on port " + port + " within "
                + STARTUP_TIMEOUT.toSeconds() + " s: " + logTail());
    }

    // Each attempt waits at most a second, so a broker that died is noticed promptly.
    private static boolean describesCluster(Admin admin) {
        try {
            return !admin.describeCluster(new DescribeClusterOptions().timeoutMs(1000))
                    .nodes()
                    .get(2, TimeUnit.SECONDS)
                    .isEmpty();
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
        }
    }

    private void writeServerProperties(int controllerPort, List<Listener> listeners, Map<String, String> overrides) {
        StringBuilder names = new StringBuilder("PLAINTEXT://127.0.0.1:" + port);
        StringBuilder protocols = new StringBuilder("PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        for (Listener listener : listeners) {
            names.append(',').append(listener.address());
            protocols.append(',').append(listener.name()).append(':').append(listener.securityProtocol());
        }
        Properties config = new Properties();
        config.putAll(Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", "1"),
                Map.entry("controller.quorum.voters", "1@127.0.0.1:" + controllerPort),
                Map.entry("listeners", names + ",CONTROLLER://127.0.0.1:" + controllerPort),
                Map.entry("advertised.listeners", names.toString()),
                Map.entry("controller.listener.names", "CONTROLLER"),
                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                Map.entry("listener.security.protocol.map", protocols.toString()),
                Map.entry("log.dirs", dir.resolve("data").toString()),
                Map.entry("num.partitions", "1"),
                Map.entry("auto.create.topics.enable", "false"),
                Map.entry("offsets.topic.replication.factor", "1"),
                // One partition for the group offsets, not 50: the first consumer group waits for them all.
                Map.entry("offsets.topic.num.partitions", "1"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                Map.entry("share.coordinator.state.topic.min.isr", "1"),
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                // A restarted broker cannot register while the controller still holds the killed one's session
                // (DUPLICATE_BROKER_REGISTRATION): the default 9 s session made every restart take 12 s.
                Map.entry("broker.session.timeout.ms", "2000"),
                Map.entry("broker.heartbeat.interval.ms", "500"),
                Map.entry("log.cleaner.backoff.ms", "1000")));
        config.putAll(overrides);
        try (Writer writer = Files.newBufferedWriter(serverProperties)) {
            config.store(writer, "tokencast test broker");
        } catch (IOException e) {
            throw new IllegalStateException("could not write " + serverProperties, e);
        }
    }

    private String logTail() {
        return ChildProcesses.logTail(dir.resolve(LOG_FILE), 10);
    }
}
