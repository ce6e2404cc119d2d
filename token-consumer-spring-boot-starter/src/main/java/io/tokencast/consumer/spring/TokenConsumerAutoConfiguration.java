package io.tokencast.consumer.spring;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.tokencast.consumer.KafkaClientListener;
import io.tokencast.consumer.TokenChangeListener;
import io.tokencast.consumer.TokenNotReadyException;
import io.tokencast.consumer.TokenView;
import io.tokencast.schema.InvalidTokenKeyException;
import io.tokencast.schema.TokenKey;
import io.tokencast.trust.encryption.EncryptionKeyring;
import io.tokencast.trust.encryption.InvalidKeyringException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Wires a started {@link TokenView} from {@code tokencast.consumer.*}, with a health indicator and Micrometer
 * gauges when those are on the classpath. The health contributor is {@code tokencastConsumer} (turn it off with
 * {@code management.health.tokencast-consumer.enabled=false}). Declare your own {@link TokenView} bean (e.g. a
 * {@code FakeTokenView} in tests) and this one backs off; the health and metrics then watch yours.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(prefix = "tokencast.consumer", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(TokenConsumerProperties.class)
public class TokenConsumerAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(TokenConsumerAutoConfiguration.class);

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(TokenView.class)
    TokenView tokenView(
            TokenConsumerProperties properties,
            Environment environment,
            ObjectProvider<Clock> clock,
            ObjectProvider<TokenChangeListener> listeners,
            ObjectProvider<SslBundles> sslBundles,
            ObjectProvider<KafkaClientListener> kafkaClientListener) {
        TokenView.Builder builder = TokenView.builder()
                .bootstrapServers(bootstrapServers(properties, environment))
                .topic(properties.getTopic())
                .reportsTopic(properties.getReportsTopic())
                .clientId(clientId(properties, environment))
                .kafkaProperties(SpringKafkaSettings.inherited(environment, sslBundles))
                .kafkaProperties(properties.getProperties())
                .clock(clock.getIfUnique(Clock::systemUTC))
                .staleGrace(properties.getStaleGrace())
                .refreshTimeout(properties.getRefreshTimeout())
                .brokerContactCheckInterval(properties.getBrokerContactCheckInterval())
                .brokerContactLostAfter(properties.getBrokerContactLostAfter());
        TokenConsumerProperties.Heartbeat heartbeat = properties.getHeartbeat();
        builder.heartbeats(heartbeat.isEnabled())
                .heartbeatInterval(heartbeat.getInterval())
                .consumersTopic(heartbeat.getTopic());
        if (heartbeat.getInstanceId() != null && !heartbeat.getInstanceId().isBlank()) {
            builder.instanceId(heartbeat.getInstanceId());
        }
        kafkaClientListener.ifUnique(builder::kafkaClientListener);
        encryptionKeyring(properties.getEncryption()).ifPresent(builder::encryptionKeyring);
        signatureVerification(properties, builder);
        TokenView view = builder.build();
        // Listener beans join before the first record is read, so they see every version, the initial ones too.
        listeners.orderedStream().forEach(view::addListener);
        view.start();
        Duration readyTimeout = properties.getReadyTimeout();
        if (readyTimeout != null && !readyTimeout.isZero() && !readyTimeout.isNegative()) {
            try {
                view.awaitReady(readyTimeout);
            } catch (TokenNotReadyException e) {
                // Starting anyway keeps a Kafka outage from crash-looping every service; health says DOWN.
                log.warn("starting without a ready token view: {}", e.getMessage());
            }
        }
        return view;
    }

    /** The refresher's public keys, or no verification where that is turned off explicitly. */
    static void signatureVerification(TokenConsumerProperties properties, TokenView.Builder builder) {
        String file = properties.getRefresherKeysFile();
        boolean configured = file != null && !file.isBlank();
        if (!properties.isSignatureVerification()) {
            if (configured) {
                throw new InvalidConfigurationPropertyValueException(
                        "tokencast.consumer.refresher-keys-file",
                        file,
                        "tokencast.consumer.signature-verification is false: remove one of the two");
            }
            builder.withoutSignatureVerification();
            return;
        }
        if (!configured) {
            throw new InvalidConfigurationPropertyValueException(
                    "tokencast.consumer.refresher-keys-file",
                    null,
                    "The view verifies every token against the refresher's public keys: set"
                            + " tokencast.consumer.refresher-keys-file to the refresher's public JWK set"
                            + " (refresher.jwks.json, as tokencast keys generate writes it), or, only while the"
                            + " refresher does not sign yet, tokencast.consumer.signature-verification=false");
        }
        try {
            builder.refresherKeysFile(Path.of(file));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationPropertyValueException(
                    "tokencast.consumer.refresher-keys-file", file, e.getMessage());
        }
    }

    static Optional<EncryptionKeyring> encryptionKeyring(TokenConsumerProperties.Encryption encryption) {
        String json = encryption.getKeyringJson();
        String property = "tokencast.consumer.encryption.keyring-json";
        if (json == null || json.isBlank()) {
            if (encryption.getKeyring() == null || encryption.getKeyring().isBlank()) {
                return Optional.empty();
            }
            property = "tokencast.consumer.encryption.keyring";
            try {
                json = Files.readString(Path.of(encryption.getKeyring()), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new InvalidConfigurationPropertyValueException(
                        property,
                        encryption.getKeyring(),
                        "cannot read the file (" + e.getClass().getSimpleName() + ")");
            }
        }
        try {
            return Optional.of(EncryptionKeyring.parse(json));
        } catch (InvalidKeyringException e) {
            // The value is a secret: name the property, never echo it.
            throw new InvalidConfigurationPropertyValueException(property, "<redacted>", e.getMessage());
        }
    }

    static String bootstrapServers(TokenConsumerProperties properties, Environment environment) {
        List<String> servers = properties.getBootstrapServers();
        if (servers == null || servers.isEmpty()) {
            servers = Binder.get(environment)
                    .bind("spring.kafka.bootstrap-servers", Bindable.listOf(String.class))
                    .orElse(List.of());
        }
        if (servers.isEmpty()) {
            throw new InvalidConfigurationPropertyValueException(
                    "tokencast.consumer.bootstrap-servers",
                    null,
                    "No Kafka to read tokens from: set tokencast.consumer.bootstrap-servers (or"
                            + " spring.kafka.bootstrap-servers), e.g. localhost:9092, or turn the view off with"
                            + " tokencast.consumer.enabled=false");
        }
        return String.join(",", servers);
    }

    private static String clientId(TokenConsumerProperties properties, Environment environment) {
        if (properties.getClientId() != null && !properties.getClientId().isBlank()) {
            return properties.getClientId();
        }
        return environment.getProperty("spring.application.name", "tokencast-consumer");
    }

    static List<TokenKey> requiredKeys(TokenConsumerProperties properties) {
        List<TokenKey> keys = new ArrayList<>();
        for (String text : properties.getRequiredKeys()) {
            try {
                keys.add(TokenKey.parse(text.strip()));
            } catch (InvalidTokenKeyException e) {
                throw new InvalidConfigurationPropertyValueException(
                        "tokencast.consumer.required-keys", text, e.getMessage());
            }
        }
        return List.copyOf(keys);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    @ConditionalOnEnabledHealthIndicator("tokencast-consumer")
    static class HealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "tokencastConsumerHealthIndicator")
        HealthIndicator tokencastConsumerHealthIndicator(TokenView tokenView, TokenConsumerProperties properties) {
            return new TokenViewHealthIndicator(tokenView, requiredKeys(properties));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterBinder.class)
    static class MetricsConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "tokencastConsumerMeterBinder")
        MeterBinder tokencastConsumerMeterBinder(
                TokenView tokenView, TokenConsumerProperties properties, ObjectProvider<Clock> clock) {
            return new TokenViewMetrics(tokenView, requiredKeys(properties), clock.getIfUnique(Clock::systemUTC));
        }

        /** Micrometer's Kafka client metrics for the view's own clients, like Spring Boot's for its factories'. */
        @Bean
        @ConditionalOnMissingBean(KafkaClientListener.class)
        KafkaClientListener tokencastConsumerKafkaClientMetrics(ObjectProvider<MeterRegistry> registry) {
            return new KafkaClientMeters(registry::getIfUnique);
        }
    }
}
