package io.tokencast.refresher.service.fleet;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tokencast.refresher.config.CredentialCatalog;
import io.tokencast.refresher.encryption.KeyGate;
import io.tokencast.refresher.service.config.TokencastProperties;
import io.tokencast.refresher.service.encryption.EncryptionProperties;
import io.tokencast.refresher.service.publish.KafkaClientMeters;
import io.tokencast.refresher.service.publish.KafkaClientSettings;
import io.tokencast.refresher.service.publish.TopicTail;
import io.tokencast.refresher.store.TokenStore;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;

/**
 * The fleet view: every replica follows the consumers topic from the beginning into memory, unless
 * {@code tokencast.fleet.enabled=false} (then the view stays empty).
 */
@Configuration(proxyBeanMethods = false)
class FleetConfiguration {

    private static final Logger log = LoggerFactory.getLogger(FleetConfiguration.class);

    @Bean
    FleetView fleetView(Clock clock, FleetSettings settings, MeterRegistry registry) {
        FleetView fleet = new FleetView(clock, settings);
        Gauge.builder("tokencast.fleet.instances", fleet, FleetView::size)
                .description("Consumer instances the fleet view holds (live or silent)")
                .register(registry);
        FunctionCounter.builder("tokencast.fleet.dropped", fleet, FleetView::dropped)
                .description("Heartbeats of new instances refused because the fleet view was full")
                .register(registry);
        // A fixed set of reasons keeps the tag's cardinality bounded.
        for (String reason : new String[] {
            "PAYLOAD_TOO_LARGE",
            "MALFORMED_JSON",
            "WRONG_TYPE",
            "UNSUPPORTED_SCHEMA_VERSION",
            "MISSING_FIELD",
            "INVALID_FIELD",
            "KEY_MISMATCH",
            "BAD_KEY"
        }) {
            FunctionCounter.builder(
                            "tokencast.fleet.rejected", fleet, f -> f.rejected().getOrDefault(reason, 0L))
                    .tag("reason", reason)
                    .description("Records on the consumers topic refused as heartbeats")
                    .register(registry);
        }
        return fleet;
    }

    /**
     * The gate before an encryption key is promoted (docs/security.md §5.3): shut while the fleet view shows a
     * live consumer covering a key without its kid, open when the operator overrides it explicitly or the fleet
     * view is off (both logged as warnings, since then nothing stops a promotion consumers cannot follow).
     */
    @Bean
    KeyGate keyGate(
            FleetView fleetView,
            ObjectProvider<TopicTail> consumersTail,
            EncryptionProperties encryption,
            MeterRegistry registry) {
        if (encryption.promoteUnconfirmedKeys()) {
            log.warn("tokencast.encryption.promote-unconfirmed-keys=true: new encryption keys are written without"
                    + " checking that live consumers hold them; a consumer without the key reports NO_KEY");
            return KeyGate.open();
        }
        TopicTail tail = consumersTail.getIfAvailable();
        if (tail == null) {
            log.warn("tokencast.fleet.enabled=false: new encryption keys are written without checking that live"
                    + " consumers hold them");
            return KeyGate.open();
        }
        Counter held = Counter.builder("tokencast.encryption.promotion.held")
                .description("Writes that kept an older kid (or plaintext) because live consumers lack the new one")
                .register(registry);
        FleetKeyGate gate = new FleetKeyGate(fleetView, tail::isCaughtUp);
        return (recordKey, kid) -> {
            List<String> unable = gate.unableToRead(recordKey, kid);
            if (!unable.isEmpty()) {
                held.increment();
            }
            return unable;
        };
    }

    @Bean
    FleetQuery fleetQuery(FleetView fleetView, TokenStore store, CredentialCatalog catalog) {
        return new FleetQuery(fleetView, store, catalog);
    }

    @Bean(destroyMethod = "close")
    @DependsOn("topicInitializer")
    @ConditionalOnBooleanProperty(prefix = "tokencast.fleet", name = "enabled", matchIfMissing = true)
    TopicTail consumersTail(
            KafkaProperties kafka,
            TokencastProperties properties,
            Clock clock,
            FleetView fleetView,
            KafkaClientMeters kafkaClientMeters) {
        Map<String, Object> config =
                KafkaClientSettings.topicReader(kafka, "tokencast-fleet-" + properties.instanceId());
        return new TopicTail(
                        kafkaClientMeters.consumers(() ->
                                new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())),
                        properties.topics().consumers(),
                        null,
                        clock,
                        fleetView::apply)
                .start();
    }
}
