package io.tokencast.consumer;

import io.tokencast.schema.RefreshRequested;
import io.tokencast.schema.TokenKey;
import io.tokencast.trust.signing.RecordVerifier;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link TokenView} over Kafka: one reader thread owns the consumer; reports go through a lazy producer. */
final class KafkaTokenView extends TableView {

    private static final Logger log = LoggerFactory.getLogger(KafkaTokenView.class);
    private static final Duration READER_RESTART_PAUSE = Duration.ofSeconds(1);

    private final String bootstrapServers;
    private final String topic;
    private final String clientId;
    private final String requestedBy;
    private final Map<String, Object> kafkaProperties;
    private final Duration refreshTimeout;
    private final Duration partitionCheckInterval;
    private final Duration brokerContactCheckInterval;
    private final Duration brokerContactLostAfter;
    private final KafkaClients clients;
    private final InvalidTokenReporter reporter;
    private final Heartbeats.Settings heartbeatSettings;
    private final ConcurrentHashMap<TokenKey, Report> reports = new ConcurrentHashMap<>();

    private volatile TopicFollower follower;
    private Heartbeats heartbeats;
    private volatile BrokerContactTracker contact;
    private boolean started;
    private boolean closed;

    KafkaTokenView(TokenView.Builder builder) {
        super(new TokenTable(
                builder.clock,
                builder.staleGrace,
                "topic '" + builder.topic + "'",
                builder.encryption,
                builder.maxKeys,
                builder.refresherKeys == null ? null : new RecordVerifier(builder.refresherKeys)));
        if (!builder.backgroundVerification) {
            table.backgroundVerifiers(0);
        }
        this.bootstrapServers = builder.bootstrapServers;
        this.topic = builder.topic;
        this.clientId = builder.clientId;
        this.requestedBy = requestedBy(builder.clientId);
        this.kafkaProperties = Map.copyOf(builder.kafkaProperties);
        this.refreshTimeout = builder.refreshTimeout;
        this.partitionCheckInterval = builder.partitionCheckInterval;
        this.brokerContactCheckInterval = builder.brokerContactCheckInterval;
        this.brokerContactLostAfter = builder.brokerContactLostAfter;
        this.clients = new KafkaClients(builder.kafkaClientListener);
        this.reporter =
                new InvalidTokenReporter(bootstrapServers, builder.reportsTopic, clientId, kafkaProperties, clients);
        this.heartbeatSettings = builder.heartbeats ? heartbeatSettings(builder, table) : null;
    }

    private static Heartbeats.Settings heartbeatSettings(TokenView.Builder builder, TokenTable table) {
        String host = hostName();
        String instanceId = builder.instanceId;
        if (instanceId == null) {
            // Unique across restarts, so a restarted instance never inherits its predecessor's entry.
            String suffix = Long.toHexString(new java.security.SecureRandom().nextLong() & 0xffffffffL);
            instanceId = truncate(builder.clientId + "@" + host, 190) + "." + suffix;
        }
        return new Heartbeats.Settings(
                builder.consumersTopic,
                builder.heartbeatInterval,
                instanceId,
                truncate(builder.clientId, 200),
                truncate(host, 200),
                Heartbeats.scopes(builder.encryption),
                Heartbeats.kids(builder.encryption),
                Heartbeats.signatures(table.signatureVerification()));
    }

    @Override
    Duration refreshTimeout() {
        return refreshTimeout;
    }

    @Override
    public synchronized TokenView start() {
        if (closed) {
            throw new IllegalStateException("this token view of topic '" + topic + "' is closed; build a new one");
        }
        if (started) {
            return this;
        }
        contact = new BrokerContactTracker(
                table.clock(), brokerContactCheckInterval, brokerContactLostAfter, topic, bootstrapServers);
        startFollower(Duration.ZERO);
        if (heartbeatSettings != null) {
            heartbeats = new Heartbeats(
                            heartbeatSettings,
                            table.clock(),
                            table::snapshot,
                            this::brokerContact,
                            () -> clients.producer(
                                    Heartbeats.producerConfig(bootstrapServers, clientId, kafkaProperties)),
                            clients::producerClosed)
                    .start();
        }
        started = true;
        SignatureVerification verification = table.signatureVerification();
        if (verification.enabled()) {
            log.info(
                    "token view started topic={} bootstrapServers={} clientId={} signatureVerification=ON"
                            + " refresherKids={} provider=\"{}\"",
                    topic,
                    bootstrapServers,
                    clientId,
                    verification.kids(),
                    verification.provider());
        } else {
            log.warn(
                    "token view started WITHOUT signature verification topic={} bootstrapServers={} clientId={}:"
                            + " whoever can write to the topic can hand this service a token; configure the"
                            + " refresher's public keys (refresherKeysFile) as docs/security.md §4 says",
                    topic,
                    bootstrapServers,
                    clientId);
        }
        return this;
    }

    /** Starts a reader thread with its own consumer; one that dies is replaced, so the view never goes deaf. */
    private void startFollower(Duration resumeAfter) {
        Consumer<String, byte[]> consumer =
                clients.consumer(TopicFollower.consumerConfig(kafkaProperties, bootstrapServers, clientId));
        TopicFollower next = new TopicFollower(
                consumer,
                () -> clients.consumerClosed(consumer),
                topic,
                table,
                partitionCheckInterval,
                contact,
                resumeAfter);
        follower = next;
        Thread thread = new Thread(next, "tokencast-view-" + topic);
        thread.setDaemon(true);
        thread.setUncaughtExceptionHandler((dead, error) -> readerDied(error));
        thread.start();
    }

    /**
     * The reader thread ended on an {@link Error} its loop does not catch (a listener's, a stack overflow): the
     * view says so (health DOWN) and a new reader starts after a pause, reading from the beginning.
     */
    private void readerDied(Throwable error) {
        table.readerFailed();
        log.error(
                "token view reader ended topic={} error={} action=starting-a-new-reader-in={}",
                topic,
                error.getClass().getName(),
                READER_RESTART_PAUSE);
        synchronized (this) {
            if (closed) {
                return;
            }
            try {
                startFollower(READER_RESTART_PAUSE);
            } catch (RuntimeException e) {
                log.error("token view reader not restarted topic={} error={}", topic, e.toString());
            }
        }
    }

    @Override
    public void awaitReady(Duration timeout) {
        synchronized (this) {
            if (!started) {
                throw new TokenNotReadyException(
                        null, "the view of topic '" + topic + "' was never started: call start() before awaitReady()");
            }
        }
        table.awaitReady(
                timeout,
                "Check that Kafka at " + bootstrapServers + " is reachable and that topic '" + topic + "' exists.");
    }

    @Override
    public BrokerContact brokerContact() {
        BrokerContactTracker tracker = contact;
        return tracker == null ? BrokerContact.notStarted() : tracker.current();
    }

    @Override
    public CompletableFuture<Token> reportInvalid(Token token, int errcode) {
        Objects.requireNonNull(token, "token");
        CompletableFuture<Token> next = table.nextToken(token);
        if (next.isDone()) {
            return next; // already superseded: nothing to report
        }
        // One report per dead version in flight: a burst of 40001s on many threads sends one command.
        Report report = reports.compute(
                token.key(),
                (key, current) -> current != null
                                && current.version() == token.version()
                                && !current.sent().isCompletedExceptionally()
                        ? current
                        : new Report(token.version(), send(token, errcode)));
        report.sent().whenComplete((ok, failure) -> {
            if (failure != null) {
                next.completeExceptionally(failure);
            }
        });
        return next;
    }

    private CompletableFuture<Void> send(Token token, int errcode) {
        RefreshRequested command =
                RefreshRequested.invalidReported(token.key(), token.fingerprint(), requestedBy, table.now());
        log.info(
                "reporting invalid token key={} version={} fingerprint={} errcode={} commandId={}",
                token.key(),
                token.version(),
                token.fingerprint(),
                errcode,
                command.commandId());
        return reporter.publish(command).whenComplete((ok, failure) -> {
            if (failure != null) {
                log.warn(
                        "could not report invalid token key={} version={} reportsTopic={} cause={}; is the topic there"
                                + " and writable by this client?",
                        token.key(),
                        token.version(),
                        reporter.reportsTopic(),
                        failure.toString());
            }
        });
    }

    @Override
    public void close() {
        TopicFollower running;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            running = follower;
        }
        if (heartbeats != null) {
            heartbeats.close();
        }
        if (running != null) {
            running.stop(Duration.ofSeconds(10));
        }
        reporter.close();
        table.stopBackground();
        table.failWaiters(new TokenNotReadyException(null, "the token view of topic '" + topic + "' was closed"));
        log.info("token view closed topic={}", topic);
    }

    @Override
    public String toString() {
        return "TokenView[topic=" + topic + ", clientId=" + clientId + ", ready=" + table.isReady() + "]";
    }

    private static String requestedBy(String clientId) {
        return truncate(clientId + "@" + hostName(), 200);
    }

    private static String hostName() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (Exception e) {
                host = "unknown-host";
            }
        }
        return host;
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }

    private record Report(long version, CompletableFuture<Void> sent) {}
}
