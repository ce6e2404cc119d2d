package io.tokencast.cli;

import io.tokencast.cli.audit.AuditHistory;
import io.tokencast.consumer.TokenView;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Option;

/** Where tokencast's topics live; shared by every command. Defaults follow docs/design.md §3.2. */
final class Connection {

    @Option(
            names = {"-b", "--bootstrap-servers"},
            defaultValue = "${env:TOKENCAST_BOOTSTRAP_SERVERS:-localhost:9092}",
            description = "Kafka bootstrap servers (env TOKENCAST_BOOTSTRAP_SERVERS; default ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(names = "--tokens-topic", defaultValue = "tokencast.tokens", description = "Default ${DEFAULT-VALUE}.")
    String tokensTopic;

    @Option(names = "--audit-topic", defaultValue = "tokencast.token-audit", description = "Default ${DEFAULT-VALUE}.")
    String auditTopic;

    @Option(names = "--admin-topic", defaultValue = "tokencast.token-admin", description = "Default ${DEFAULT-VALUE}.")
    String adminTopic;

    @Option(
            names = "--connect-timeout",
            defaultValue = "30s",
            converter = Durations.class,
            description = "How long to wait for Kafka (default ${DEFAULT-VALUE}).")
    Duration connectTimeout;

    TokenView tokenView(String clientId, java.time.Clock clock) {
        return TokenView.builder()
                .clock(clock)
                .bootstrapServers(bootstrapServers)
                .topic(tokensTopic)
                .adminTopic(adminTopic)
                .clientId(clientId)
                // An operator's look at the tokens, not a service instance: keep it out of the fleet view.
                .heartbeats(false)
                .build();
    }

    /** An idempotent {@code acks=all} producer for operator commands on the admin topic. */
    KafkaProducer<String, byte[]> adminProducer() {
        return new KafkaProducer<>(Map.of(
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
    }

    AuditHistory auditHistory() {
        return AuditHistory.builder()
                .bootstrapServers(bootstrapServers)
                .topic(auditTopic)
                .timeout(connectTimeout)
                .build();
    }
}
