package io.tokencast.sidecar;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link SidecarConfig} being changed: its components as mutable fields, for the record's {@code with…}
 * methods. A record cannot be copied with one component changed; going through this copy and back through the
 * record's constructor means every changed configuration is validated again as a whole.
 */
final class SidecarConfigDraft {

    String host;
    int port;
    String bootstrapServers;
    String topic;
    String reportTopic;
    String consumersTopic;
    String clientId;
    Map<String, String> kafka;
    SidecarConfig.Signatures signatures;
    Optional<Path> encryptionKeyring;
    Duration staleGrace;
    Optional<String> sharedToken;
    Duration reportWait;
    Duration maxWait;
    int maxWaiters;
    int maxBodyBytes;
    int threads;
    Duration shutdownTimeout;
    List<WeComAgent> wecomAgents;
    GatewayConfig gateway;

    SidecarConfigDraft(SidecarConfig c) {
        host = c.host();
        port = c.port();
        bootstrapServers = c.bootstrapServers();
        topic = c.topic();
        reportTopic = c.reportTopic();
        consumersTopic = c.consumersTopic();
        clientId = c.clientId();
        kafka = c.kafka();
        signatures = c.signatures();
        encryptionKeyring = c.encryptionKeyring();
        staleGrace = c.staleGrace();
        sharedToken = c.sharedToken();
        reportWait = c.reportWait();
        maxWait = c.maxWait();
        maxWaiters = c.maxWaiters();
        maxBodyBytes = c.maxBodyBytes();
        threads = c.threads();
        shutdownTimeout = c.shutdownTimeout();
        wecomAgents = c.wecomAgents();
        gateway = c.gateway();
    }

    SidecarConfig build() {
        return new SidecarConfig(
                host,
                port,
                bootstrapServers,
                topic,
                reportTopic,
                consumersTopic,
                clientId,
                kafka,
                signatures,
                encryptionKeyring,
                staleGrace,
                sharedToken,
                reportWait,
                maxWait,
                maxWaiters,
                maxBodyBytes,
                threads,
                shutdownTimeout,
                wecomAgents,
                gateway);
    }
}
