package io.tokencast.consumer;

import io.tokencast.schema.ConsumerHeartbeat;
import io.tokencast.schema.EventCodec;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.trust.encryption.RecordEncryption;
import io.tokencast.trust.encryption.ScopePattern;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a view's {@link ConsumerHeartbeat} on the consumers topic every interval, and a tombstone on close,
 * so the refresher's fleet view knows which instance holds which version. Advisory: a heartbeat that cannot be
 * sent is logged (once per outage) and never affects reads.
 */
final class Heartbeats implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Heartbeats.class);

    static final String LIBRARY_VERSION = libraryVersion();
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final String topic;
    private final String instanceId;
    private final String service;
    private final String host;
    private final Duration interval;
    private final List<String> scopes;
    private final List<String> kids;
    private final ConsumerHeartbeat.Signatures signatures;
    private final Clock clock;
    private final Supplier<Map<TokenKey, TokenRefreshed>> held;
    private final Supplier<BrokerContact> contact;
    private final Supplier<Producer<String, byte[]>> producers;
    private final Consumer<Producer<String, byte[]>> closed;
    private final ScheduledExecutorService timer;
    // Made on the timer thread at the first beat, so starting a view costs no producer.
    private volatile Producer<String, byte[]> producer;
    private Instant startedAt;
    private volatile boolean failing;
    private volatile boolean everSent;

    Heartbeats(
            Settings settings,
            Clock clock,
            Supplier<Map<TokenKey, TokenRefreshed>> held,
            Supplier<BrokerContact> contact,
            Supplier<Producer<String, byte[]>> producers,
            Consumer<Producer<String, byte[]>> closed) {
        this.topic = settings.topic();
        this.instanceId = settings.instanceId();
        this.service = settings.service();
        this.host = settings.host();
        this.interval = settings.interval();
        this.scopes = settings.scopes();
        this.kids = settings.kids();
        this.signatures = settings.signatures();
        this.clock = clock;
        this.held = held;
        this.contact = contact;
        this.producers = producers;
        this.closed = closed;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tokencast-heartbeat-" + topic);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * What the builder decided: where, how often, who this instance is, and what it can read: the key patterns
     * of its keyring ({@code *} without one: it reads every key, in plaintext only) and the kids it holds. The
     * refresher promotes an encryption key only when every live instance whose patterns cover a key holds
     * its kid (docs/security.md §5.3).
     */
    record Settings(
            String topic,
            Duration interval,
            String instanceId,
            String service,
            String host,
            List<String> scopes,
            List<String> kids,
            ConsumerHeartbeat.Signatures signatures) {

        Settings {
            scopes = List.copyOf(scopes);
            kids = List.copyOf(kids);
        }
    }

    /**
     * Whether a view verifies signatures and which refresher kids it trusts, so the fleet view shows when every
     * consumer verifies (docs/operations.md §6).
     */
    static ConsumerHeartbeat.Signatures signatures(SignatureVerification verification) {
        if (!verification.enabled()) {
            return new ConsumerHeartbeat.Signatures(false, List.of(), null);
        }
        List<String> kids = verification.kids().stream()
                .filter(kid -> !kid.isBlank() && kid.length() <= ConsumerHeartbeat.MAX_TEXT)
                .sorted()
                .limit(ConsumerHeartbeat.MAX_NAMES)
                .toList();
        String provider = verification.provider();
        return new ConsumerHeartbeat.Signatures(
                true, kids, provider.isBlank() || provider.length() > ConsumerHeartbeat.MAX_TEXT ? null : provider);
    }

    /** The key patterns a view reads: its keyring's scopes, or every key ({@code *}) without a keyring. */
    static List<String> scopes(RecordEncryption encryption) {
        if (encryption == null || !encryption.enabled()) {
            return List.of("*");
        }
        return encryption.keyring().scopes().keySet().stream()
                .map(ScopePattern::pattern)
                .sorted()
                .limit(ConsumerHeartbeat.MAX_NAMES)
                .toList();
    }

    /** The encryption kids a view holds, none without a keyring. */
    static List<String> kids(RecordEncryption encryption) {
        if (encryption == null || !encryption.enabled()) {
            return List.of();
        }
        return encryption.keyring().kids().stream()
                .sorted()
                .limit(ConsumerHeartbeat.MAX_NAMES)
                .toList();
    }

    /** The configuration of a producer for heartbeats: idempotent, {@code acks=all}, never blocking a caller long. */
    static Map<String, Object> producerConfig(String bootstrapServers, String clientId, Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        config.putAll(extra);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId + "-heartbeat");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return config;
    }

    /** Sends the first heartbeat now and the next ones every interval. */
    Heartbeats start() {
        startedAt = clock.instant();
        timer.scheduleAtFixedRate(this::beat, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        log.info("heartbeats started topic={} instanceId={} interval={}", topic, instanceId, interval);
        return this;
    }

    /** The heartbeat as it would be sent now. */
    ConsumerHeartbeat current() {
        List<ConsumerHeartbeat.HeldVersion> versions = new ArrayList<>();
        // Key order, so a capped list always names the same keys.
        for (TokenRefreshed event : new TreeMap<>(held.get()).values()) {
            if (versions.size() == ConsumerHeartbeat.MAX_HELD) {
                break;
            }
            versions.add(new ConsumerHeartbeat.HeldVersion(event.tokenKey(), event.version(), event.fingerprint()));
        }
        BrokerContact broker = contact.get();
        return new ConsumerHeartbeat(
                instanceId,
                service,
                host,
                LIBRARY_VERSION,
                startedAt,
                clock.instant(),
                new ConsumerHeartbeat.Contact(
                        broker.lastContactAt().orElse(null),
                        broker.lost(),
                        broker.recordsBehind().isPresent()
                                ? broker.recordsBehind().getAsLong()
                                : null),
                scopes,
                kids,
                versions,
                signatures);
    }

    private void beat() {
        try {
            if (producer == null) {
                producer = producers.get();
            }
            byte[] value = EventCodec.json().encode(current());
            producer.send(new ProducerRecord<>(topic, instanceId, value), (metadata, failure) -> sent(failure));
        } catch (RuntimeException e) {
            sent(e);
        }
    }

    // One WARN per outage and one INFO when it ends: a heartbeat every 30 s must not flood the log.
    private void sent(Exception failure) {
        if (failure != null && !failing) {
            failing = true;
            log.warn(
                    "heartbeat not sent topic={} instanceId={} cause={}; will keep trying every {}",
                    topic,
                    instanceId,
                    failure.toString(),
                    interval);
        } else if (failure == null) {
            everSent = true;
            if (failing) {
                failing = false;
                log.info("heartbeats sent again topic={} instanceId={}", topic, instanceId);
            }
        }
    }

    /** Stops the timer and writes the tombstone that tells the fleet view this instance is gone. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            // The timer may be making the producer right now; it is needed below either way.
            timer.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Producer<String, byte[]> producer = this.producer;
        if (producer == null) {
            return;
        }
        if (!everSent) {
            // Nothing to hide, and nowhere to send it: the topic is missing or the broker never answered.
            producer.close(Duration.ZERO);
            closed.accept(producer);
            return;
        }
        try {
            producer.send(new ProducerRecord<>(topic, instanceId, null))
                    .get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            log.warn("heartbeat tombstone not sent topic={} instanceId={} cause={}", topic, instanceId, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            producer.close(CLOSE_TIMEOUT);
            closed.accept(producer);
        }
    }

    private static String libraryVersion() {
        try (InputStream in = Heartbeats.class.getResourceAsStream("/META-INF/tokencast/consumer-version.properties")) {
            if (in != null) {
                Properties properties = new Properties();
                properties.load(in);
                String version = properties.getProperty("version", "").strip();
                if (!version.isEmpty() && !version.startsWith("$")) {
                    return version;
                }
            }
        } catch (IOException e) {
            log.debug("library version unreadable cause={}", e.toString());
        }
        return "unknown";
    }
}
