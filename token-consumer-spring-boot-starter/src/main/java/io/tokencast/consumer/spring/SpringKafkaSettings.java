package io.tokencast.consumer.spring;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.config.SslConfigs;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.kafka.autoconfigure.SslBundleSslEngineFactory;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * The Kafka client settings an application already gave its own Kafka clients, for the view's clients too:
 * {@code spring.kafka.properties.*} (e.g. {@code sasl.mechanism}, {@code sasl.jaas.config}),
 * {@code spring.kafka.security.*} and {@code spring.kafka.ssl.*} (key and trust stores, or an SSL bundle), read
 * with Spring Boot's own {@link KafkaProperties}. Only where Spring Boot's Kafka support is on the classpath
 * ({@code spring-boot-starter-kafka}); {@code tokencast.consumer.properties.*} overrides all of it.
 */
final class SpringKafkaSettings {

    private static final String KAFKA_PROPERTIES = "org.springframework.boot.kafka.autoconfigure.KafkaProperties";

    private SpringKafkaSettings() {}

    /** The inherited client properties; empty without Spring Boot's Kafka support. */
    static Map<String, Object> inherited(Environment environment, ObjectProvider<?> sslBundles) {
        if (!ClassUtils.isPresent(KAFKA_PROPERTIES, SpringKafkaSettings.class.getClassLoader())) {
            return Map.of();
        }
        return Inherited.of(environment, sslBundles);
    }

    // Apart, so that nothing loads Spring Boot's Kafka classes unless they are there.
    private static final class Inherited {

        static Map<String, Object> of(Environment environment, ObjectProvider<?> sslBundles) {
            // Bound here rather than injected: KafkaAutoConfiguration registers the bean only with spring-kafka.
            KafkaProperties kafka = Binder.get(environment)
                    .bind("spring.kafka", KafkaProperties.class)
                    .orElseGet(KafkaProperties::new);
            Map<String, Object> properties = new LinkedHashMap<>(kafka.getProperties());
            properties.putAll(kafka.getSecurity().buildProperties());
            properties.putAll(kafka.getSsl().buildProperties());
            String bundle = kafka.getSsl().getBundle();
            if (bundle != null && !bundle.isBlank()) {
                Object bundles = sslBundles.getIfAvailable();
                if (!(bundles instanceof SslBundles ssl)) {
                    throw new InvalidConfigurationPropertyValueException(
                            "spring.kafka.ssl.bundle", bundle, "no SSL bundles are configured (spring.ssl.bundle.*)");
                }
                // As Spring Boot configures its own Kafka clients with a bundle.
                properties.put(SslConfigs.SSL_ENGINE_FACTORY_CLASS_CONFIG, SslBundleSslEngineFactory.class);
                properties.put(SslBundle.class.getName(), ssl.getBundle(bundle));
            }
            return properties;
        }
    }
}
