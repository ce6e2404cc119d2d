package io.tokencast.cli;

import io.tokencast.cli.audit.AuditHistory;
import io.tokencast.consumer.TokenView;
import io.tokencast.schema.DefaultTopics;
import io.tokencast.topics.CommandPublisher;
import io.tokencast.trust.signing.KeySetRole;
import io.tokencast.trust.signing.RecordVerifier;
import io.tokencast.trust.signing.VerificationKeys;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Option;

/**
 * Where tokencast's topics live and how to reach them; shared by every command. Defaults follow docs/design.md
 * §3.2; Kafka security (SASL, TLS) comes from a client properties file, as with Kafka's own tools. The CLI talks
 * to Kafka only, never to Redis.
 */
final class Connection {

    /** Properties the CLI sets itself: the file may not change how records are read and written. */
    private static final Set<String> RESERVED = Set.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);

    @Option(
            names = {"-b", "--bootstrap-servers"},
            defaultValue = "${env:TOKENCAST_BOOTSTRAP_SERVERS:-localhost:9092}",
            description = "Kafka bootstrap servers (env TOKENCAST_BOOTSTRAP_SERVERS; default ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(names = "--tokens-topic", defaultValue = DefaultTopics.TOKENS, description = "Default ${DEFAULT-VALUE}.")
    String tokensTopic;

    @Option(names = "--audit-topic", defaultValue = DefaultTopics.AUDIT, description = "Default ${DEFAULT-VALUE}.")
    String auditTopic;

    @Option(names = "--admin-topic", defaultValue = DefaultTopics.ADMIN, description = "Default ${DEFAULT-VALUE}.")
    String adminTopic;

    @Option(
            names = "--kafka-config",
            paramLabel = "FILE",
            defaultValue = "${env:TOKENCAST_KAFKA_CONFIG}",
            description = "Kafka client properties (security.protocol, sasl.*, ssl.*), as for Kafka's own tools"
                    + " (env TOKENCAST_KAFKA_CONFIG). Its values, passwords included, are never printed.")
    Path kafkaConfig;

    @Option(
            names = "--refresher-keys",
            defaultValue = "${env:TOKENCAST_REFRESHER_KEYS}",
            description = "The refresher's public JWK set (refresher.jwks.json): tokens not signed with one of its"
                    + " keys are not shown (env TOKENCAST_REFRESHER_KEYS).")
    Path refresherKeys;

    @Option(
            names = "--no-signature-verification",
            description = "Show tokens without checking the refresher's signature: only while the refresher does not"
                    + " sign yet.")
    boolean noSignatureVerification;

    @Option(
            names = "--connect-timeout",
            defaultValue = "30s",
            converter = Durations.class,
            description = "How long to wait for Kafka (default ${DEFAULT-VALUE}).")
    Duration connectTimeout;

    TokenView tokenView(String clientId, java.time.Clock clock) {
        TokenView.Builder builder = TokenView.builder()
                .clock(clock)
                .bootstrapServers(bootstrapServers)
                .topic(tokensTopic)
                .kafkaProperties(kafkaProperties())
                .clientId(clientId)
                // An operator's look at the tokens, not a service instance: keep it out of the fleet view.
                .heartbeats(false);
        if (refresherKeys != null && noSignatureVerification) {
            throw new IllegalArgumentException("--refresher-keys and --no-signature-verification exclude each other");
        }
        if (refresherKeys != null) {
            builder.refresherKeysFile(refresherKeys);
        } else if (noSignatureVerification) {
            builder.withoutSignatureVerification();
        } else {
            throw new IllegalArgumentException("tokens are verified against the refresher's public keys: pass"
                    + " --refresher-keys refresher.jwks.json (or set TOKENCAST_REFRESHER_KEYS), or, only while the"
                    + " refresher does not sign yet, --no-signature-verification");
        }
        return builder.build();
    }

    /** Consumer settings for reading a topic without a group: the brokers and the client properties. */
    Map<String, Object> consumerProperties(String clientId) {
        Map<String, Object> config = new HashMap<>(kafkaProperties());
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        return config;
    }

    /** The refresher key set of {@code --refresher-keys}, or null with {@code --no-signature-verification}. */
    RecordVerifier refresherVerifier() {
        return refresherKeys == null
                ? null
                : new RecordVerifier(VerificationKeys.load(refresherKeys, KeySetRole.REFRESHER));
    }

    /** The admin topic's publisher, on a producer of its own that closes with it. */
    CommandPublisher adminPublisher() {
        return CommandPublisher.on(this::adminProducer, adminTopic, connectTimeout);
    }

    /** An idempotent {@code acks=all} producer for operator commands on the admin topic. */
    private KafkaProducer<String, byte[]> adminProducer() {
        Map<String, Object> config = new HashMap<>(kafkaProperties());
        config.putAll(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                connectTimeout.toMillis(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class));
        return new KafkaProducer<>(config);
    }

    /**
     * The client properties of {@code --kafka-config}, empty without one.
     *
     * @throws IllegalArgumentException naming the file and the problem, never a value
     */
    Map<String, Object> kafkaProperties() {
        if (kafkaConfig == null || kafkaConfig.toString().isBlank()) {
            return Map.of();
        }
        if (!Files.isRegularFile(kafkaConfig) || !Files.isReadable(kafkaConfig)) {
            throw new IllegalArgumentException("--kafka-config " + kafkaConfig + " is not a readable file");
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(kafkaConfig, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            // The message of a malformed unicode escape may quote the line: name the file only.
            throw new IllegalArgumentException("--kafka-config " + kafkaConfig + " is not a properties file ("
                    + e.getClass().getSimpleName() + ")");
        }
        Map<String, Object> config = new HashMap<>();
        for (String name : properties.stringPropertyNames()) {
            if (RESERVED.contains(name)) {
                throw new IllegalArgumentException("--kafka-config " + kafkaConfig + " sets " + name
                        + ", which the CLI sets itself; use --bootstrap-servers for the brokers");
            }
            config.put(name, properties.getProperty(name));
        }
        return config;
    }

    AuditHistory auditHistory() {
        return AuditHistory.builder()
                .bootstrapServers(bootstrapServers)
                .kafkaProperties(kafkaProperties())
                .topic(auditTopic)
                .timeout(connectTimeout)
                .build();
    }
}
