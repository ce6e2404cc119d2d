package io.tokencast.consumer;

import io.tokencast.schema.DefaultTopics;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.trust.encryption.EncryptionKeyring;
import io.tokencast.trust.encryption.RecordEncryption;
import io.tokencast.trust.signing.KeySetRole;
import io.tokencast.trust.signing.VerificationKeys;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.ToIntFunction;

/**
 * The current WeChat credentials, held in memory and served locally: a view of the compacted tokens topic
 * that a service embeds instead of ever calling WeChat or Redis.
 *
 * <pre>{@code
 * TokenView tokens = TokenView.builder()
 *         .bootstrapServers("kafka:9092")
 *         .clientId("orders")
 *         .refresherKeysFile(Path.of("/etc/tokencast/refresher.jwks.json"))
 *         .build()
 *         .start();
 * tokens.awaitReady(Duration.ofSeconds(30));
 * String accessToken = tokens.token(TokenKey.parse("wechat-access-token/wx0123456789abcdef")).value();
 * }</pre>
 *
 * <p>Thread-safe. Reads ({@link #token}, {@link #find}, {@link #state}) take no lock and allocate nothing.
 * Nothing is served until the view is {@linkplain #isReady() ready}: it has read the topic to the end
 * offsets taken at start, so it never hands out a version it already knows to be superseded. Every token it
 * serves carries a signature that verified against the refresher's public keys (docs/security.md §4), unless
 * the builder turned that off explicitly.
 */
public interface TokenView extends AutoCloseable {

    /** The front door: a builder for a view over Kafka. */
    static Builder builder() {
        return new Builder();
    }

    /** Starts reading the topic in the background; returns this view. */
    TokenView start();

    /**
     * Blocks until the view is ready.
     *
     * @throws TokenNotReadyException when it is not ready within {@code timeout}, saying how far it got
     */
    void awaitReady(Duration timeout);

    /** Whether the view has read the topic to the end offsets taken at start. */
    boolean isReady();

    /**
     * The current token for {@code key}, never an expired one.
     *
     * @throws TokenNotReadyException before the view is ready
     * @throws UnknownTokenException when no token was ever published for the key
     * @throws TokenExpiredException when the newest token has expired
     * @throws TokenRemovedException when the key was removed
     * @throws NoKeyForScopeException when the token is encrypted under a key this service does not hold
     * @throws TokenUnavailableException for any other reason the token cannot be served
     */
    Token token(TokenKey key);

    /** The token {@link #token} would return, or empty where it would throw. */
    Optional<Token> find(TokenKey key);

    /** How the token for {@code key} fares now; {@link TokenState#ABSENT} where none is held. */
    TokenState state(TokenKey key);

    /** The keys with a token held (expired ones included, removed ones not). */
    Set<TokenKey> keys();

    /** The newest event held per key, e.g. to rebuild a store from the topic. */
    Map<TokenKey, TokenRefreshed> snapshot();

    /** Counters since the view was built. */
    ConsumerStats stats();

    /** Whether and how this view verifies records: the refresher key ids it trusts and the crypto provider. */
    SignatureVerification signatureVerification();

    /**
     * How recently the broker answered this view. While contact is {@linkplain BrokerContact#lost() lost} the
     * view goes on serving the tokens it holds until they expire (reads never fail for it), but newer versions
     * cannot arrive; the loss is logged once, at WARN, and its end once, at INFO.
     */
    BrokerContact brokerContact();

    void addListener(TokenChangeListener listener);

    void removeListener(TokenChangeListener listener);

    /**
     * Tells the refresher that WeChat refused {@code token} (e.g. errcode 40001): publishes a
     * {@code RefreshRequested} that refreshes only if this token is still the current one, so many reports
     * of one dead token cause one fetch. Concurrent reports of the same version are sent once.
     *
     * @return completed with the next version of the key once the view holds it; already complete if it
     *     does. Bound the wait yourself, e.g. {@code .orTimeout(...)}.
     */
    CompletableFuture<Token> reportInvalid(Token token, int errcode);

    /**
     * Runs {@code call} with the current token; if it throws a {@link TokenRejectedException} whose errcode
     * means an invalid token (40001, 40014, 42001), reports the token, awaits the next version (bounded by
     * the builder's refresh timeout) and runs the call exactly once more. When no newer version arrives in
     * time, the original exception is rethrown.
     */
    <T, E extends Exception> T withToken(TokenKey key, TokenCall<T, E> call) throws E;

    /**
     * Like {@link #withToken(TokenKey, TokenCall)} for calls that return WeChat's answer instead of throwing:
     * {@code errcode} reads the errcode from the result ({@code 0} for success). When no newer version
     * arrives in time, the first result is returned.
     */
    <T, E extends Exception> T withToken(TokenKey key, TokenCall<T, E> call, ToIntFunction<? super T> errcode) throws E;

    /** Stops reading, closes the Kafka clients and fails pending {@link #reportInvalid} futures. Idempotent. */
    @Override
    void close();

    /** Configures a {@link TokenView} over Kafka. Only the bootstrap servers are required. */
    final class Builder {

        /** The contract's default tokens topic. */
        public static final String DEFAULT_TOPIC = DefaultTopics.TOKENS;
        /** The contract's default reports topic, where invalid-token reports go. */
        public static final String DEFAULT_REPORTS_TOPIC = DefaultTopics.REPORTS;
        /** The contract's default consumers topic, where heartbeats go. */
        public static final String DEFAULT_CONSUMERS_TOPIC = DefaultTopics.CONSUMERS;
        /** How often a view sends a heartbeat, unless configured otherwise. */
        public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(30);
        /** How often a view asks the broker whether it is there, unless configured otherwise. */
        public static final Duration DEFAULT_BROKER_CONTACT_CHECK_INTERVAL = Duration.ofSeconds(5);
        /** How long the broker may stay silent before a view considers contact lost, unless configured otherwise. */
        public static final Duration DEFAULT_BROKER_CONTACT_LOST_AFTER = Duration.ofSeconds(30);

        /** Most keys a view holds by default; the tokens topic is shared, so anyone may add keys to it. */
        public static final int DEFAULT_MAX_KEYS = 1_000_000;

        String bootstrapServers;
        String topic = DEFAULT_TOPIC;
        String reportsTopic = DEFAULT_REPORTS_TOPIC;
        String clientId = "tokencast-consumer";
        final Map<String, Object> kafkaProperties = new LinkedHashMap<>();
        Clock clock = Clock.systemUTC();
        Duration staleGrace = Duration.ofMinutes(2);
        int maxKeys = DEFAULT_MAX_KEYS;
        Duration refreshTimeout = Duration.ofSeconds(10);
        Duration brokerContactCheckInterval = DEFAULT_BROKER_CONTACT_CHECK_INTERVAL;
        Duration brokerContactLostAfter = DEFAULT_BROKER_CONTACT_LOST_AFTER;
        boolean heartbeats = true;
        Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
        String consumersTopic = DEFAULT_CONSUMERS_TOPIC;
        String instanceId;
        RecordEncryption encryption = RecordEncryption.off();
        VerificationKeys refresherKeys;
        boolean withoutSignatureVerification;
        boolean backgroundVerification = true;
        KafkaClientListener kafkaClientListener = KafkaClientListener.NONE;
        // How often the reader looks for partitions added to the topic; shortened by tests only.
        Duration partitionCheckInterval = Duration.ofSeconds(30);

        Builder() {}

        /** Kafka's {@code bootstrap.servers}, e.g. {@code kafka-1:9092,kafka-2:9092}. Required. */
        public Builder bootstrapServers(String bootstrapServers) {
            this.bootstrapServers = requireText(bootstrapServers, "bootstrapServers");
            return this;
        }

        /** The compacted tokens topic; default {@value #DEFAULT_TOPIC}. */
        public Builder topic(String topic) {
            this.topic = requireText(topic, "topic");
            return this;
        }

        /**
         * Where {@link TokenView#reportInvalid} publishes; default {@value #DEFAULT_REPORTS_TOPIC}. A service may
         * write reports there, never commands: the admin topic takes operator-signed commands only.
         */
        public Builder reportsTopic(String reportsTopic) {
            this.reportsTopic = requireText(reportsTopic, "reportsTopic");
            return this;
        }

        /**
         * The refresher's public JWK set (docs/security.md §4): every {@code TokenRefreshed} must carry a
         * signature by one of these keys, or it is refused, counted per verdict and never served. Either this
         * (or {@link #refresherKeysFile}) or {@link #withoutSignatureVerification()} is required.
         */
        public Builder refresherKeys(VerificationKeys keys) {
            Objects.requireNonNull(keys, "keys");
            if (keys.role() != KeySetRole.REFRESHER) {
                throw new IllegalArgumentException("tokens are signed with the refresher's keys, not the " + keys.role()
                        + " set: pass the refresher's public JWK set");
            }
            this.refresherKeys = keys;
            return this;
        }

        /**
         * {@link #refresherKeys} from a public JWK set file, e.g. the {@code refresher.jwks.json} that
         * {@code tokencast keys generate} writes.
         *
         * @throws IllegalArgumentException when the file cannot be read or is not a public refresher JWK set
         */
        public Builder refresherKeysFile(Path file) {
            return refresherKeys(VerificationKeys.load(Objects.requireNonNull(file, "file"), KeySetRole.REFRESHER));
        }

        /**
         * Whether the keys read at start are verified in the background once the view is ready (default), or only
         * when each is first read, listed or snapshotted. Either way no unverified token is ever served; off
         * saves the CPU of verifying keys this service never reads, on a topic shared by many services.
         */
        public Builder backgroundVerification(boolean enabled) {
            this.backgroundVerification = enabled;
            return this;
        }

        /**
         * Serves tokens without checking who signed them: anyone who can write to the tokens topic can then hand
         * this service a token. Logged at WARN when the view starts. Only for a cluster whose refresher does not
         * sign yet (docs/operations.md, upgrades) or for tests.
         */
        public Builder withoutSignatureVerification() {
            this.withoutSignatureVerification = true;
            return this;
        }

        /**
         * Names this service to Kafka ({@code client.id}) and in invalid-token reports ({@code requestedBy},
         * with the host name); default {@code tokencast-consumer}.
         */
        public Builder clientId(String clientId) {
            this.clientId = requireText(clientId, "clientId");
            return this;
        }

        /** An extra Kafka client property (security, timeouts), applied to the consumer and the reporter. */
        public Builder kafkaProperty(String name, Object value) {
            kafkaProperties.put(requireText(name, "Kafka property name"), Objects.requireNonNull(value, name));
            return this;
        }

        /**
         * Hears of every Kafka client the view creates and closes, e.g. to bind Micrometer's
         * {@code KafkaClientMetrics} (the Spring Boot starter does where the application has a meter registry).
         */
        public Builder kafkaClientListener(KafkaClientListener listener) {
            this.kafkaClientListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Extra Kafka client properties; see {@link #kafkaProperty}. */
        public Builder kafkaProperties(Map<String, ?> properties) {
            properties.forEach(this::kafkaProperty);
            return this;
        }

        /**
         * The encryption keys and scopes of this service (docs/security.md §5): a JWK set of {@code oct} keys
         * with {@code scopes}. The view decrypts each version once, when it arrives, and serves only the keys
         * within its scopes whose kid it holds; every other key reports {@link TokenState#NO_KEY}. Without a
         * keyring the view reads plaintext tokens only.
         */
        public Builder encryptionKeyring(EncryptionKeyring keyring) {
            this.encryption = RecordEncryption.with(Objects.requireNonNull(keyring, "keyring"));
            return this;
        }

        /** The clock expiry and staleness are judged by; default {@link Clock#systemUTC()}. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How long past its planned refresh a token may go before it counts as {@link TokenState#STALE}; default 2m. */
        public Builder staleGrace(Duration staleGrace) {
            this.staleGrace = requireNonNegative(staleGrace, "staleGrace");
            return this;
        }

        /**
         * Most keys the view holds, default {@value #DEFAULT_MAX_KEYS}: records of further keys are counted as
         * skipped ({@code KEY_CAP}), not stored, so keys flooded onto the topic cannot exhaust the service's memory.
         */
        public Builder maxKeys(int maxKeys) {
            if (maxKeys < 1) {
                throw new IllegalArgumentException("maxKeys must be at least 1, was " + maxKeys);
            }
            this.maxKeys = maxKeys;
            return this;
        }

        /** How long {@link TokenView#withToken} waits for the next version after reporting; default 10s. */
        public Builder refreshTimeout(Duration refreshTimeout) {
            this.refreshTimeout = requireNonNegative(refreshTimeout, "refreshTimeout");
            return this;
        }

        /**
         * How often the view asks the broker for the topic's end offsets, which only a live broker answers, to
         * keep {@link TokenView#brokerContact()} honest; default 5s. Judged by the builder's clock.
         */
        public Builder brokerContactCheckInterval(Duration interval) {
            this.brokerContactCheckInterval = requirePositive(interval, "brokerContactCheckInterval");
            return this;
        }

        /**
         * How long the broker may leave the view's checks unanswered before contact counts as lost (logged at
         * WARN, reported by {@link TokenView#brokerContact()}); default 30s. Must be longer than the check
         * interval; several intervals keep one slow answer from counting as a loss.
         */
        public Builder brokerContactLostAfter(Duration lostAfter) {
            this.brokerContactLostAfter = requirePositive(lostAfter, "brokerContactLostAfter");
            return this;
        }

        /**
         * Whether the view publishes a {@code ConsumerHeartbeat} (its instance, library version, broker contact
         * and the version and fingerprint of each key it holds, never a token) on the consumers topic every
         * {@link #heartbeatInterval}, and a tombstone on close; default on. The refresher's fleet view shows
         * them; they never affect reads.
         */
        public Builder heartbeats(boolean enabled) {
            this.heartbeats = enabled;
            return this;
        }

        /** How often heartbeats are sent; default 30s. */
        public Builder heartbeatInterval(Duration interval) {
            this.heartbeatInterval = requirePositive(interval, "heartbeatInterval");
            return this;
        }

        /** Where heartbeats go; default {@value #DEFAULT_CONSUMERS_TOPIC}. */
        public Builder consumersTopic(String consumersTopic) {
            this.consumersTopic = requireText(consumersTopic, "consumersTopic");
            return this;
        }

        /**
         * This running instance's name in heartbeats (at most 200 chars), unique across restarts; default the
         * client id, the host name and a random suffix.
         */
        public Builder instanceId(String instanceId) {
            String id = requireText(instanceId, "instanceId");
            if (id.length() > 200) {
                throw new IllegalArgumentException("instanceId must be at most 200 chars, was " + id.length());
            }
            this.instanceId = id;
            return this;
        }

        /**
         * Builds an unstarted view; call {@link TokenView#start()}.
         *
         * @throws IllegalStateException when the bootstrap servers are missing, neither the refresher's keys nor
         *     {@link #withoutSignatureVerification()} were given (or both were), or contact would count as lost
         *     between two checks
         */
        public TokenView build() {
            if (bootstrapServers == null) {
                throw new IllegalStateException(
                        "TokenView.builder() needs bootstrapServers(...), e.g. \"localhost:9092\": the Kafka"
                                + " cluster that carries topic '" + topic + "'");
            }
            if (refresherKeys == null && !withoutSignatureVerification) {
                throw new IllegalStateException("TokenView.builder() needs the refresher's public keys to verify the"
                        + " tokens on topic '" + topic + "': refresherKeysFile(Path.of(\"refresher.jwks.json\")) (the"
                        + " public JWK set tokencast keys generate writes) or refresherKeys(VerificationKeys); or,"
                        + " only where the refresher does not sign yet, withoutSignatureVerification()"
                        + " (docs/security.md §4)");
            }
            if (refresherKeys != null && withoutSignatureVerification) {
                throw new IllegalStateException("TokenView.builder() was given the refresher's keys and"
                        + " withoutSignatureVerification(): choose one");
            }
            if (brokerContactLostAfter.compareTo(brokerContactCheckInterval) <= 0) {
                throw new IllegalStateException("brokerContactLostAfter (" + brokerContactLostAfter
                        + ") must be longer than brokerContactCheckInterval (" + brokerContactCheckInterval
                        + "), or every pause between two checks would count as lost contact");
            }
            return new KafkaTokenView(this);
        }

        private static String requireText(String value, String name) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(name + " must not be blank");
            }
            return value.strip();
        }

        private static Duration requirePositive(Duration value, String name) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return value;
        }

        private static Duration requireNonNegative(Duration value, String name) {
            if (value == null || value.isNegative()) {
                throw new IllegalArgumentException(name + " must be zero or positive, was " + value);
            }
            return value;
        }
    }
}
