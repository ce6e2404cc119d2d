package io.tokencast.refresher.service.refresh;

import io.tokencast.refresher.config.CredentialCatalog;
import io.tokencast.refresher.encryption.KeyGate;
import io.tokencast.refresher.leader.KeyLocks;
import io.tokencast.refresher.leader.Leadership;
import io.tokencast.refresher.metrics.RefreshMetrics;
import io.tokencast.refresher.policy.FetchRateLimiter;
import io.tokencast.refresher.policy.RefreshPolicy;
import io.tokencast.refresher.publish.EventPublisher;
import io.tokencast.refresher.publish.TokenTopic;
import io.tokencast.refresher.quota.QuotaGuard;
import io.tokencast.refresher.refresh.AuditTrail;
import io.tokencast.refresher.refresh.Publication;
import io.tokencast.refresher.refresh.RefreshScheduler;
import io.tokencast.refresher.refresh.Refresher;
import io.tokencast.refresher.refresh.Rekeying;
import io.tokencast.refresher.refresh.Retirement;
import io.tokencast.refresher.service.config.TokencastProperties;
import io.tokencast.refresher.service.publish.KafkaClientMeters;
import io.tokencast.refresher.service.publish.KafkaClientSettings;
import io.tokencast.refresher.service.publish.PoisonRecords;
import io.tokencast.refresher.service.publish.TopicTail;
import io.tokencast.refresher.signing.RecordSigning;
import io.tokencast.refresher.store.TokenStore;
import io.tokencast.refresher.wechat.CredentialSource;
import io.tokencast.trust.encryption.RecordEncryption;
import java.time.Clock;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;

/**
 * Wires the refresh flow: the public {@link Refresher} (also for the admin topic), {@link Retirement}, and
 * refresher-core's scheduler (which recovers as leader), ticking on a thread of its own while the context runs.
 */
@Configuration(proxyBeanMethods = false)
class RefreshConfiguration {

    @Bean
    Publication publication(EventPublisher publisher, TokenStore store, KeyLocks locks, RecordSigning recordSigning) {
        return new Publication(publisher, store, locks, recordSigning);
    }

    @Bean
    Refresher refresher(
            CredentialCatalog catalog,
            TokenStore store,
            KeyLocks locks,
            CredentialSource source,
            QuotaGuard quota,
            RefreshPolicy policy,
            Publication publication,
            EventPublisher publisher,
            RefreshMetrics metrics,
            Clock clock,
            TokencastProperties properties,
            RecordEncryption encryption,
            ObjectProvider<KeyGate> keyGate,
            ObjectProvider<Rekeying.Companions> companions) {
        return Refresher.builder()
                .catalog(catalog)
                .store(store)
                .locks(locks)
                .source(source)
                .quota(quota)
                .policy(policy)
                .publisher(publisher)
                .publication(publication)
                .metrics(metrics)
                .clock(clock)
                .instanceId(properties.instanceId())
                .retryInitial(properties.refresh().retryInitial())
                .encryption(encryption)
                .keyGate(keyGate.getIfAvailable(KeyGate::open))
                // Looked up per use: the open platform's vault is built after the refresher.
                .companions(key -> companions.orderedStream().forEach(c -> c.rekey(key)))
                .build();
    }

    @Bean
    Retirement retirement(
            TokenStore store,
            KeyLocks locks,
            EventPublisher publisher,
            Clock clock,
            TokencastProperties properties,
            RecordSigning recordSigning) {
        return new Retirement(
                store,
                locks,
                publisher,
                new AuditTrail(publisher, clock, properties.instanceId()),
                recordSigning,
                clock);
    }

    @Bean(destroyMethod = "close")
    @DependsOn("topicInitializer")
    TopicReplay topicReplay(
            CredentialCatalog catalog,
            RecordSigning recordSigning,
            TokenStore store,
            KeyLocks locks,
            EventPublisher publisher,
            Publication publication,
            RefreshMetrics metrics,
            Clock clock,
            TokencastProperties properties,
            KafkaProperties kafka,
            KafkaClientMeters kafkaClientMeters,
            PoisonRecords poisonRecords) {
        Map<String, Object> config =
                KafkaClientSettings.topicReader(kafka, "tokencast-replay-" + properties.instanceId());
        String topic = properties.topics().tokens();
        return new TopicReplay(
                        key -> catalog.find(key).isPresent(),
                        recordSigning,
                        store,
                        locks,
                        publisher,
                        publication,
                        metrics,
                        clock,
                        properties.instanceId(),
                        topic,
                        poisonRecords)
                .start(sink -> new TopicTail(
                        kafkaClientMeters.consumers(() ->
                                new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())),
                        topic,
                        null,
                        clock,
                        sink));
    }

    @Bean
    RefreshSchedulerLifecycle refreshScheduler(
            Refresher refresher,
            Leadership leadership,
            TokenTopic topic,
            TopicReplay topicReplay,
            FetchRateLimiter rateLimiter,
            TokencastProperties properties) {
        return new RefreshSchedulerLifecycle(RefreshScheduler.builder(refresher)
                .leadership(leadership)
                .topic(topic)
                .replay(topicReplay::check)
                .rateLimiter(rateLimiter)
                .tick(properties.refresh().tick())
                .build());
    }
}
