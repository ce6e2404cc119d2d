package io.tokencast.sidecar;

import io.tokencast.consumer.TokenView;
import io.tokencast.trust.encryption.EncryptionKeyring;
import io.tokencast.trust.encryption.InvalidKeyringException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running sidecar: a {@link TokenView} over the tokens topic and the HTTP server that serves it. The view
 * starts reading in the background and the server listens at once; readiness follows the view, so the sidecar is ready
 * as soon as the view is. {@link #close()} shuts down gracefully.
 *
 * <pre>{@code
 * try (Sidecar sidecar = Sidecar.start(SidecarConfig.defaults("kafka:9092").withPort(8089))) { … }
 * }</pre>
 */
public final class Sidecar implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Sidecar.class);

    private final SidecarConfig config;
    private final TokenView view;
    private final Waiters waiters;
    private final SidecarMetrics metrics;
    private final Server server;
    private final ServerConnector connector;
    private final Gateway gateway;
    private volatile boolean draining;
    private boolean closed;

    private Sidecar(SidecarConfig config, Clock clock) {
        this.config = config;
        this.metrics = new SidecarMetrics();
        QueuedThreadPool pool = SidecarThreads.server(config.threads());
        this.server = new Server(pool);
        this.view = view(config, clock);
        this.waiters = new Waiters(config.maxWaiters(), pool);
        TokenLookup lookup = new TokenLookup(view, clock, waiters);
        Reports reports = new Reports(lookup, metrics);
        SharedToken shared = new SharedToken(config.sharedToken());
        metrics.bind(view, waiters, lookup.index(), this::isReady);
        GatewayConfig gatewayConfig = config.gateway();
        Handles handles = gatewayConfig.enabled() ? Handles.load(gatewayConfig) : null;
        PresentedCredentials presented = new PresentedCredentials(lookup, handles, gatewayConfig.clients());
        this.gateway = gatewayConfig.enabled()
                ? new Gateway(gatewayConfig, lookup, presented, shared, new GatewayMetrics(metrics.registry()))
                : null;
        Router router = new Router(
                new TokensApi(lookup, reports, config),
                new WeChatApi(lookup, reports, shared, config, presented, handles),
                new WeComTickets(lookup, presented),
                shared,
                config,
                metrics,
                this::isReady,
                gateway);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // No Date on the sidecar's own answers (loopback callers cache nothing by it, and it is a header to write
        // on every poll); a forwarded answer keeps the upstream's Date, once, instead of getting a second one.
        http.setSendDateHeader(false);
        this.connector = new ServerConnector(server, 1, 1, new RequestLineConnectionFactory(http));
        connector.setHost(config.host());
        connector.setPort(config.port());
        server.addConnector(connector);
        server.setHandler(new GracefulHandler(router));
        server.setStopTimeout(config.shutdownTimeout().toMillis());
        server.setStopAtShutdown(false);
    }

    private static TokenView view(SidecarConfig config, Clock clock) {
        TokenView.Builder builder = TokenView.builder()
                .bootstrapServers(config.bootstrapServers())
                .topic(config.topic())
                .reportsTopic(config.reportTopic())
                .consumersTopic(config.consumersTopic())
                .clientId(config.clientId())
                .kafkaProperties(config.kafka())
                .staleGrace(config.staleGrace())
                .clock(clock);
        SidecarConfig.Signatures signatures = config.signatures();
        if (!signatures.verify()) {
            builder.withoutSignatureVerification();
        }
        signatures.refresherKeysFile().ifPresent(builder::refresherKeysFile);
        config.encryptionKeyring()
                .ifPresentOrElse(
                        file -> builder.encryptionKeyring(keyring(file)),
                        () -> log.warn("\n****************************************************************\n"
                                + "* tokencast.sidecar.encryption-keyring is not set: this sidecar\n"
                                + "* reads plaintext tokens only and answers no-key for every\n"
                                + "* encrypted one. Set it to this service's keyring\n"
                                + "* (docs/security.md §5.2) unless the refresher runs in plaintext.\n"
                                + "****************************************************************"));
        try {
            return builder.build();
        } catch (IllegalStateException e) {
            throw new IllegalStateException(
                    "the sidecar cannot start: set tokencast.sidecar.refresher-keys-file (" + e.getMessage() + ")", e);
        }
    }

    /** The keyring in {@code file}; a missing or invalid one stops the start with the reason, never key material. */
    private static EncryptionKeyring keyring(Path file) {
        try {
            return EncryptionKeyring.parse(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalStateException("the sidecar cannot start: tokencast.sidecar.encryption-keyring " + file
                    + " cannot be read (" + e.getClass().getSimpleName() + ")");
        } catch (InvalidKeyringException e) {
            throw new IllegalStateException("the sidecar cannot start: tokencast.sidecar.encryption-keyring " + file
                    + " is not a keyring: " + e.getMessage());
        }
    }

    /** Starts a sidecar on the system clock. */
    public static Sidecar start(SidecarConfig config) {
        return start(config, Clock.systemUTC());
    }

    /** Starts a sidecar judging expiry by {@code clock}: the server first, then the view's background read. */
    public static Sidecar start(SidecarConfig config, Clock clock) {
        Sidecar sidecar = new Sidecar(Objects.requireNonNull(config, "config"), Objects.requireNonNull(clock, "clock"));
        // The view starts on its own thread: creating its Kafka client and reading the topic, which readiness
        // waits for, overlap the server's start instead of following it.
        CompletableFuture<Void> viewStarted = new CompletableFuture<>();
        Thread starter = new Thread(
                () -> {
                    try {
                        sidecar.view.start();
                        viewStarted.complete(null);
                    } catch (RuntimeException e) {
                        viewStarted.completeExceptionally(e);
                    }
                },
                "tokencast-sidecar-view-start");
        starter.setDaemon(true);
        starter.start();
        try {
            if (sidecar.gateway != null) {
                sidecar.gateway.start();
            }
            sidecar.server.start();
            viewStarted.join();
        } catch (Exception e) {
            sidecar.close();
            throw new IllegalStateException(
                    "the sidecar cannot start on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
        }
        Thread jvmMetrics = new Thread(sidecar.metrics::bindJvm, "tokencast-sidecar-jvm-metrics");
        jvmMetrics.setDaemon(true);
        jvmMetrics.start();
        log.info(
                "sidecar started url={} topic={} bootstrapServers={} sharedToken={} wecomAgents={} gateway={}",
                sidecar.url(),
                config.topic(),
                config.bootstrapServers(),
                config.sharedToken().isPresent() ? "required" : "off",
                config.wecomAgents().size(),
                config.gateway().enabled() ? "on" : "off");
        return sidecar;
    }

    /** Where it listens, e.g. {@code http://127.0.0.1:8089}. */
    public URI url() {
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return URI.create("http://" + host + ":" + connector.getLocalPort());
    }

    /** Ready: the view has read the tokens topic to its end, and the sidecar is not shutting down. */
    public boolean isReady() {
        return !draining && view.isReady();
    }

    /** The view the sidecar serves from. */
    public TokenView view() {
        return view;
    }

    /**
     * Shuts down gracefully: readiness turns DOWN, waiting requests are answered 503, requests in flight get up
     * to {@code shutdown-timeout} to finish, then the view closes. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        draining = true;
        log.info("sidecar stopping url={} waiting={}", url(), waiters.size());
        waiters.close(new ShuttingDown());
        try {
            server.stop();
        } catch (Exception e) {
            log.warn("sidecar http server did not stop cleanly cause={}", e.toString());
        }
        if (gateway != null) {
            gateway.close();
        }
        view.close();
        metrics.close();
        log.info("sidecar stopped");
    }

    /** The sidecar is shutting down: a waiting request ends with 503. */
    static final class ShuttingDown extends RuntimeException {
        ShuttingDown() {
            super("the sidecar is shutting down; ask another instance or retry", null, false, false);
        }
    }
}
