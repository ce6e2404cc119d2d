package io.tokencast.sidecar;

import io.tokencast.schema.DefaultTopics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a sidecar is configured with, validated; {@link ConfigLoader} builds it from a properties or YAML
 * file, environment variables and command-line arguments. {@link #toString()} never prints the shared token.
 *
 * @param host the address to listen on; loopback by default, since tokens travel in clear over this port
 * @param port the port to listen on; 0 picks a free one
 * @param bootstrapServers Kafka, where the tokens topic lives
 * @param topic the compacted tokens topic
 * @param reportTopic where invalid-token reports go
 * @param consumersTopic where the sidecar's heartbeats go, so the refresher's fleet view and its encryption-key
 *     promotion see it (docs/security.md §5.3)
 * @param clientId this sidecar's name to Kafka and in reports
 * @param kafka extra Kafka client properties (security, timeouts)
 * @param signatures how tokens are checked to come from the refresher (docs/security.md §4)
 * @param encryptionKeyring this sidecar's encryption keys and scopes, a keyring file (docs/security.md §5.2);
 *     empty: it reads plaintext tokens only (development; a WARN at start), every encrypted one is {@code no-key}
 * @param staleGrace how late the refresher may be before a token counts as STALE
 * @param sharedToken when present, every token endpoint requires it (header, or the secret an SDK sends)
 * @param reportWait how long {@code stable_token} with {@code force_refresh} waits for the next token, and the
 *     default wait of {@code POST …/invalid}
 * @param maxWait the longest wait any request may ask for (long polls, reports)
 * @param maxWaiters requests waiting at once; more are refused with 503
 * @param maxBodyBytes the largest request body accepted
 * @param threads the HTTP server's largest thread pool
 * @param shutdownTimeout how long a graceful shutdown waits for requests in flight
 * @param wecomAgents how WeCom's {@code gettoken}, which names no agent, finds its {@code corpid.agentid} key
 * @param gateway gateway mode: forwarding WeChat API calls and answering handles (off by default)
 */
public record SidecarConfig(
        String host,
        int port,
        String bootstrapServers,
        String topic,
        String reportTopic,
        String consumersTopic,
        String clientId,
        Map<String, String> kafka,
        Signatures signatures,
        Optional<Path> encryptionKeyring,
        Duration staleGrace,
        Optional<String> sharedToken,
        Duration reportWait,
        Duration maxWait,
        int maxWaiters,
        int maxBodyBytes,
        int threads,
        Duration shutdownTimeout,
        List<WeComAgent> wecomAgents,
        GatewayConfig gateway) {

    public SidecarConfig {
        Objects.requireNonNull(gateway, "gateway");
        requireText(host, "host");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("tokencast.sidecar.port must be 0..65535, was " + port);
        }
        requireText(bootstrapServers, "bootstrap-servers");
        requireText(topic, "topic");
        requireText(reportTopic, "report-topic");
        requireText(consumersTopic, "consumers-topic");
        requireText(clientId, "client-id");
        kafka = Map.copyOf(kafka);
        Objects.requireNonNull(signatures, "signatures");
        Objects.requireNonNull(encryptionKeyring, "encryptionKeyring");
        Objects.requireNonNull(sharedToken, "sharedToken");
        sharedToken.ifPresent(token -> {
            if (token.length() < 16) {
                throw new IllegalArgumentException(
                        "tokencast.sidecar.shared-token must be at least 16 characters (it guards live tokens)");
            }
        });
        requirePositive(staleGrace, "stale-grace", true);
        requirePositive(reportWait, "report-wait", true);
        requirePositive(maxWait, "max-wait", false);
        requirePositive(shutdownTimeout, "shutdown-timeout", true);
        if (reportWait.compareTo(maxWait) > 0) {
            throw new IllegalArgumentException("tokencast.sidecar.report-wait (" + reportWait
                    + ") must not exceed tokencast.sidecar.max-wait (" + maxWait + ")");
        }
        if (maxWaiters < 1 || maxWaiters > 1_000_000) {
            throw new IllegalArgumentException("tokencast.sidecar.max-waiters must be 1..1000000, was " + maxWaiters);
        }
        if (maxBodyBytes < 1024 || maxBodyBytes > 16 * 1024 * 1024) {
            throw new IllegalArgumentException(
                    "tokencast.sidecar.max-body-size must be 1KB..16MB, was " + maxBodyBytes + " bytes");
        }
        if (threads < 4 || threads > 1024) {
            throw new IllegalArgumentException("tokencast.sidecar.threads must be 4..1024, was " + threads);
        }
        wecomAgents = List.copyOf(wecomAgents);
        for (int i = 0; i < wecomAgents.size(); i++) {
            for (int j = i + 1; j < wecomAgents.size(); j++) {
                WeComAgent a = wecomAgents.get(i);
                WeComAgent b = wecomAgents.get(j);
                if (a.pathPrefix().isPresent() && a.pathPrefix().equals(b.pathPrefix())) {
                    throw new IllegalArgumentException("tokencast.sidecar.wecom.agents[" + i + "] and [" + j
                            + "] share path-prefix " + a.pathPrefix().get());
                }
                if (a.corpsecretSha256().isPresent() && a.corpsecretSha256().equals(b.corpsecretSha256())) {
                    throw new IllegalArgumentException("tokencast.sidecar.wecom.agents[" + i + "] and [" + j
                            + "] share corpsecret-sha256; each agent's secret is its own");
                }
            }
        }
    }

    /**
     * How the sidecar makes sure its tokens come from the refresher: the refresher's public JWK set, or no check
     * at all where {@code verify} is false (explicitly, logged at WARN). Verifying with no keys file is a start-up
     * error.
     *
     * @param refresherKeysFile the refresher's public JWK set ({@code refresher.jwks.json})
     * @param verify whether tokens must carry the refresher's signature
     */
    public record Signatures(Optional<Path> refresherKeysFile, boolean verify) {

        /** Verification on, keys not given yet: the sidecar refuses to start until they are. */
        public static final Signatures UNCONFIGURED = new Signatures(Optional.empty(), true);

        /** No verification: whoever can write to the tokens topic can hand the sidecar a token. */
        public static final Signatures OFF = new Signatures(Optional.empty(), false);

        public Signatures {
            Objects.requireNonNull(refresherKeysFile, "refresherKeysFile");
            if (!verify && refresherKeysFile.isPresent()) {
                throw new IllegalArgumentException("tokencast.sidecar.refresher-keys-file is set but"
                        + " tokencast.sidecar.signature-verification is false: remove one of the two");
            }
        }

        @Override
        public String toString() {
            return "signatures="
                    + (verify ? refresherKeysFile.map(Path::toString).orElse("<no keys>") : "OFF");
        }
    }

    /** A configuration with the defaults and the given Kafka, for tests and embedding. */
    public static SidecarConfig defaults(String bootstrapServers) {
        return new SidecarConfig(
                "127.0.0.1",
                0,
                bootstrapServers,
                DefaultTopics.TOKENS,
                DefaultTopics.REPORTS,
                DefaultTopics.CONSUMERS,
                "tokencast-sidecar",
                Map.of(),
                Signatures.UNCONFIGURED,
                Optional.empty(),
                Duration.ofMinutes(2),
                Optional.empty(),
                Duration.ofSeconds(5),
                Duration.ofSeconds(30),
                10_000,
                64 * 1024,
                32,
                Duration.ofSeconds(10),
                List.of(),
                GatewayConfig.disabled());
    }

    /** This configuration verifying tokens against the refresher's public JWK set in {@code file}. */
    public SidecarConfig withRefresherKeys(Path file) {
        return withSignatures(new Signatures(Optional.of(file), true));
    }

    /** This configuration decrypting the tokens its keyring's scopes cover, with the keyring in {@code file}. */
    public SidecarConfig withEncryptionKeyring(Path file) {
        return with(d -> d.encryptionKeyring = Optional.of(file));
    }

    /** This configuration sending its heartbeats to {@code topic}. */
    public SidecarConfig withConsumersTopic(String topic) {
        return with(d -> d.consumersTopic = topic);
    }

    public SidecarConfig withSignatures(Signatures newSignatures) {
        return with(d -> d.signatures = newSignatures);
    }

    public SidecarConfig withPort(int port) {
        return with(d -> d.port = port);
    }

    public SidecarConfig withTopics(String topic, String reportTopic) {
        return with(d -> {
            d.topic = topic;
            d.reportTopic = reportTopic;
        });
    }

    public SidecarConfig withSharedToken(String token) {
        return with(d -> d.sharedToken = Optional.of(token));
    }

    public SidecarConfig withWaits(Duration reportWait, Duration maxWait, int maxWaiters) {
        return with(d -> {
            d.reportWait = reportWait;
            d.maxWait = maxWait;
            d.maxWaiters = maxWaiters;
        });
    }

    public SidecarConfig withWeComAgents(List<WeComAgent> agents) {
        return with(d -> d.wecomAgents = agents);
    }

    public SidecarConfig withGateway(GatewayConfig newGateway) {
        return with(d -> d.gateway = newGateway);
    }

    /** A copy with what {@code change} sets, validated again as a whole. */
    private SidecarConfig with(java.util.function.Consumer<SidecarConfigDraft> change) {
        SidecarConfigDraft draft = new SidecarConfigDraft(this);
        change.accept(draft);
        return draft.build();
    }

    @Override
    public String toString() {
        return "SidecarConfig[host=" + host + ", port=" + port + ", bootstrapServers=" + bootstrapServers + ", topic="
                + topic + ", reportTopic=" + reportTopic + ", consumersTopic=" + consumersTopic + ", clientId="
                + clientId + ", kafka=" + kafka.keySet() + ", "
                + signatures
                + ", encryptionKeyring=" + encryptionKeyring.map(Path::toString).orElse("<none: plaintext only>")
                + ", sharedToken=" + (sharedToken.isPresent() ? "<set>" : "<none>") + ", reportWait=" + reportWait
                + ", maxWait=" + maxWait + ", maxWaiters=" + maxWaiters + ", maxBodyBytes=" + maxBodyBytes
                + ", threads=" + threads + ", wecomAgents=" + wecomAgents + ", gateway=" + gateway + "]";
    }

    /** Refuses a blank setting, naming it; shared with {@link WeComAgent}. */
    static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("tokencast.sidecar." + name + " must not be blank");
        }
    }

    private static void requirePositive(Duration value, String name, boolean zeroAllowed) {
        if (value == null || value.isNegative() || (!zeroAllowed && value.isZero())) {
            throw new IllegalArgumentException("tokencast.sidecar." + name + " must be "
                    + (zeroAllowed ? "zero or more" : "positive") + ", was " + value);
        }
        if (value.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("tokencast.sidecar." + name + " must be at most 1h, was " + value);
        }
    }
}
