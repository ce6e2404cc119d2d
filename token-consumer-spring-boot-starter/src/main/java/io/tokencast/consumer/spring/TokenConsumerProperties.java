package io.tokencast.consumer.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** Settings of the token view a Spring Boot application embeds ({@code tokencast.consumer.*}). */
@ConfigurationProperties("tokencast.consumer")
public class TokenConsumerProperties {

    /** Whether to create and start the token view. */
    private boolean enabled = true;

    /**
     * Kafka bootstrap servers carrying the tokens topic, e.g. localhost:9092. Falls back to
     * spring.kafka.bootstrap-servers when unset.
     */
    private List<String> bootstrapServers = new ArrayList<>();

    // The topic defaults are literals, not DefaultTopics' constants, so the configuration metadata shows them;
    // TokenConsumerPropertiesTest holds them to DefaultTopics.

    /** The compacted topic the refresher publishes tokens on. */
    private String topic = "tokencast.tokens";

    /**
     * The topic invalid-token reports (RefreshRequested with ifFingerprint, never force) are published on. A
     * service writes reports there, never commands: the admin topic takes operator-signed commands only.
     */
    private String reportsTopic = "tokencast.token-reports";

    /**
     * Path of the refresher's public JWK set (refresher.jwks.json, as tokencast keys generate writes it): every
     * token must carry a signature by one of its keys, or it is refused and never served. Required unless
     * signature-verification is false.
     */
    private String refresherKeysFile;

    /**
     * Whether tokens must carry the refresher's signature. false serves whatever anyone who can write to the
     * tokens topic publishes, and is logged at WARN at start: only for a cluster whose refresher does not sign
     * yet.
     */
    private boolean signatureVerification = true;

    /**
     * Names this service to Kafka (client.id) and in invalid-token reports. Defaults to spring.application.name,
     * else tokencast-consumer.
     */
    private String clientId;

    /**
     * Token keys (kind/account) this application cannot work without: health is DOWN while any of them is
     * expired or absent.
     */
    private List<String> requiredKeys = new ArrayList<>();

    /** How long past the refresher's planned refresh a token may go before it counts as STALE. */
    private Duration staleGrace = Duration.ofMinutes(2);

    /**
     * How long application startup waits for the view to read the topic to the end; unset or 0 means do not
     * wait (health stays DOWN until ready).
     */
    private Duration readyTimeout;

    /** How long withToken waits for the next version after reporting an invalid token. */
    private Duration refreshTimeout = Duration.ofSeconds(10);

    /**
     * How often the view asks the broker for the topic's end offsets, to know it is still in contact (see the
     * health details brokerContact and secondsSinceBrokerContact).
     */
    private Duration brokerContactCheckInterval = Duration.ofSeconds(5);

    /**
     * How long the broker may leave the view's checks unanswered before contact counts as lost: logged once at
     * WARN and shown in health details, while health stays UP as long as the tokens are servable. Must be longer
     * than broker-contact-check-interval.
     */
    private Duration brokerContactLostAfter = Duration.ofSeconds(30);

    /** Heartbeats on the consumers topic, for the refresher's fleet view. */
    private final Heartbeat heartbeat = new Heartbeat();

    /**
     * Extra Kafka client properties (e.g. security.protocol, sasl.*), for the consumer and the producers. They
     * override what the view inherits from spring.kafka.security.*, spring.kafka.ssl.* and
     * spring.kafka.properties.*.
     */
    private Map<String, String> properties = new LinkedHashMap<>();

    /** This service's encryption keys and scopes (docs/security.md §5). */
    private final Encryption encryption = new Encryption();

    public Encryption getEncryption() {
        return encryption;
    }

    /** The keyring a service decrypts its tokens with; without one it reads plaintext tokens only. */
    public static class Encryption {

        /**
         * Path of the keyring file: a JWK set of 256-bit oct keys whose scopes member maps the token-key
         * patterns this service reads to kids. Tokens outside these scopes report NO_KEY.
         */
        private String keyring;

        /** The keyring itself (e.g. from a secret store through an environment variable); wins over keyring. */
        private String keyringJson;

        public String getKeyring() {
            return keyring;
        }

        public void setKeyring(String keyring) {
            this.keyring = keyring;
        }

        public String getKeyringJson() {
            return keyringJson;
        }

        public void setKeyringJson(String keyringJson) {
            this.keyringJson = keyringJson;
        }
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public List<String> getBootstrapServers() {
        return bootstrapServers;
    }

    public void setBootstrapServers(List<String> bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    public String getTopic() {
        return topic;
    }

    public void setTopic(String topic) {
        this.topic = topic;
    }

    public String getReportsTopic() {
        return reportsTopic;
    }

    public void setReportsTopic(String reportsTopic) {
        this.reportsTopic = reportsTopic;
    }

    public String getRefresherKeysFile() {
        return refresherKeysFile;
    }

    public void setRefresherKeysFile(String refresherKeysFile) {
        this.refresherKeysFile = refresherKeysFile;
    }

    public boolean isSignatureVerification() {
        return signatureVerification;
    }

    public void setSignatureVerification(boolean signatureVerification) {
        this.signatureVerification = signatureVerification;
    }

    public String getClientId() {
        return clientId;
    }

    public void setClientId(String clientId) {
        this.clientId = clientId;
    }

    public List<String> getRequiredKeys() {
        return requiredKeys;
    }

    public void setRequiredKeys(List<String> requiredKeys) {
        this.requiredKeys = requiredKeys;
    }

    public Duration getStaleGrace() {
        return staleGrace;
    }

    public void setStaleGrace(Duration staleGrace) {
        this.staleGrace = staleGrace;
    }

    public Duration getReadyTimeout() {
        return readyTimeout;
    }

    public void setReadyTimeout(Duration readyTimeout) {
        this.readyTimeout = readyTimeout;
    }

    public Duration getRefreshTimeout() {
        return refreshTimeout;
    }

    public void setRefreshTimeout(Duration refreshTimeout) {
        this.refreshTimeout = refreshTimeout;
    }

    public Duration getBrokerContactCheckInterval() {
        return brokerContactCheckInterval;
    }

    public void setBrokerContactCheckInterval(Duration brokerContactCheckInterval) {
        this.brokerContactCheckInterval = brokerContactCheckInterval;
    }

    public Duration getBrokerContactLostAfter() {
        return brokerContactLostAfter;
    }

    public void setBrokerContactLostAfter(Duration brokerContactLostAfter) {
        this.brokerContactLostAfter = brokerContactLostAfter;
    }

    public Heartbeat getHeartbeat() {
        return heartbeat;
    }

    public Map<String, String> getProperties() {
        return properties;
    }

    public void setProperties(Map<String, String> properties) {
        this.properties = properties;
    }

    /**
     * The view's heartbeat ({@code tokencast.consumer.heartbeat.*}): its instance, library version, broker contact
     * and the version and fingerprint of each key it holds (never a token), so operators see who lags.
     */
    public static class Heartbeat {

        /** Whether the view publishes a heartbeat every interval and a tombstone on close. */
        private boolean enabled = true;

        /** How often the view publishes its heartbeat. */
        private Duration interval = Duration.ofSeconds(30);

        /** The compacted topic heartbeats go to. */
        private String topic = "tokencast.consumers";

        /** This instance's name in heartbeats; default the client id, the host name and a random suffix. */
        private String instanceId;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getInterval() {
            return interval;
        }

        public void setInterval(Duration interval) {
            this.interval = interval;
        }

        public String getTopic() {
            return topic;
        }

        public void setTopic(String topic) {
            this.topic = topic;
        }

        public String getInstanceId() {
            return instanceId;
        }

        public void setInstanceId(String instanceId) {
            this.instanceId = instanceId;
        }
    }
}
