package io.tokencast.refresher.service.openplatform;

import io.micrometer.core.instrument.MeterRegistry;
import io.tokencast.refresher.config.CredentialCatalog;
import io.tokencast.refresher.leader.Leadership;
import io.tokencast.refresher.metrics.RefreshMetrics;
import io.tokencast.refresher.refresh.CommandContext;
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
import io.tokencast.refresher.wechat.ManagedCredential;
import io.tokencast.refresher.wechat.WeChatHttpClient;
import io.tokencast.refresher.wechat.WeChatTransport;
import io.tokencast.schema.RefreshReason;
import io.tokencast.schema.TokenKey;
import io.tokencast.trust.encryption.RecordEncryption;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.context.annotation.Primary;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Wires the open platform: the credential vault on Redis and the credentials topic, the callback's guards,
 * the component, authorizer and ticket sources, and the routing {@link CredentialSource} the refresher uses
 * (official-account and WeCom tokens still go to the HTTP client bean {@code credentialSource}).
 */
@Configuration(proxyBeanMethods = false)
class OpenPlatformConfiguration {

    /** A verify-ticket push must be answered within about 5 s; a publish may take only part of that. */
    static final Duration CREDENTIAL_PUBLISH_TIMEOUT = Duration.ofSeconds(3);

    static final Duration RESTORE_TIMEOUT = Duration.ofSeconds(60);

    /** Built after the catalog, whose check reports malformed keys better than a failing constructor would. */
    @Bean
    Components openPlatformComponents(OpenPlatformProperties properties, CredentialCatalog catalog) {
        return Components.of(properties);
    }

    @Bean(destroyMethod = "close")
    @DependsOn("topicInitializer")
    Producer<String, byte[]> credentialProducer(
            KafkaProperties kafka, TokencastProperties properties, KafkaClientMeters kafkaClientMeters) {
        Map<String, Object> config = KafkaClientSettings.producer(
                kafka, "tokencast-credentials-" + properties.instanceId(), CREDENTIAL_PUBLISH_TIMEOUT);
        return kafkaClientMeters.bind(new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer()));
    }

    @Bean
    CredentialTopic credentialTopic(
            Producer<String, byte[]> credentialProducer,
            KafkaProperties kafka,
            TokencastProperties properties,
            Clock clock,
            RecordSigning recordSigning,
            KafkaClientMeters kafkaClientMeters) {
        Map<String, Object> config =
                KafkaClientSettings.topicReader(kafka, "tokencast-credentials-restore-" + properties.instanceId());
        return new KafkaCredentialTopic(
                credentialProducer,
                kafkaClientMeters.consumers(
                        () -> new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())),
                properties.topics().credentials(),
                RESTORE_TIMEOUT,
                new CredentialTimes(clock, CredentialTimes.DEFAULT_SKEW),
                recordSigning);
    }

    @Bean
    CredentialVault credentialVault(
            StringRedisTemplate redis,
            CredentialTopic topic,
            TokencastProperties properties,
            RecordEncryption encryption,
            Clock clock,
            RecordSigning recordSigning) {
        return new RedisCredentialVault(
                redis,
                properties.redis().keyPrefix(),
                topic,
                properties.instanceId(),
                encryption,
                new CredentialTimes(clock, CredentialTimes.DEFAULT_SKEW),
                recordSigning);
    }

    @Bean
    Rekeying.Companions credentialRekeying(CredentialVault vault) {
        return new CredentialRekeying(vault);
    }

    @Bean
    Revocations authorizerRevocations(
            StringRedisTemplate redis, TokencastProperties properties, MeterRegistry meters, Clock clock) {
        return new Revocations(redis, properties.redis().keyPrefix(), meters, clock);
    }

    @Bean
    ReplayGuard callbackReplayGuard(
            StringRedisTemplate redis, TokencastProperties properties, OpenPlatformProperties openPlatform) {
        return new ReplayGuard(
                redis, properties.redis().keyPrefix(), openPlatform.callback().replayWindow());
    }

    @Bean
    WeChatTransport openPlatformTransport(TokencastProperties properties) {
        URI url = properties.wechat().apiBaseUrl();
        return new WeChatTransport(new WeChatHttpClient.Host(
                url == null ? WeChatHttpClient.WECHAT_DEFAULT_URL : url,
                properties.wechat().timeout()));
    }

    @Bean
    TicketPushRequests ticketPushRequests(
            WeChatTransport http,
            StringRedisTemplate redis,
            TokencastProperties properties,
            OpenPlatformProperties openPlatform) {
        return new TicketPushRequests(
                http, redis, properties.redis().keyPrefix(), openPlatform.startPushInterval(), properties.instanceId());
    }

    /**
     * Acts on registrations and retirements off the callback's thread (5 s budget): fetches the authorizer's
     * token at once, removes a retired one's.
     */
    @Bean(destroyMethod = "shutdown")
    ScheduledExecutorService authorizerTasks() {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tokencast-authorizer-tasks");
            t.setDaemon(true);
            return t;
        });
    }

    /** Follows the credentials topic; the leader puts the vault's copy after a bad last record (the replay rule). */
    @Bean(destroyMethod = "close")
    @DependsOn("topicInitializer")
    CredentialReplay credentialReplay(
            CredentialVault vault,
            CredentialTopic topic,
            RecordSigning recordSigning,
            Leadership leadership,
            RefreshMetrics metrics,
            KafkaProperties kafka,
            TokencastProperties properties,
            Clock clock,
            KafkaClientMeters kafkaClientMeters,
            PoisonRecords poisonRecords) {
        Map<String, Object> config =
                KafkaClientSettings.topicReader(kafka, "tokencast-credential-replay-" + properties.instanceId());
        String name = properties.topics().credentials();
        return new CredentialReplay(vault, topic, recordSigning, leadership, metrics, name, poisonRecords)
                .start(
                        sink -> new TopicTail(
                                kafkaClientMeters.consumers(() -> new KafkaConsumer<>(
                                        config, new StringDeserializer(), new ByteArrayDeserializer())),
                                name,
                                null,
                                clock,
                                sink),
                        properties.refresh().tick());
    }

    /** Where every replica's catalog finds the authorizers registered at runtime. */
    @Bean
    RegisteredAuthorizers registeredAuthorizers(CredentialVault vault, Components components) {
        return new RegisteredAuthorizers(vault, components);
    }

    @Bean
    Authorizers authorizers(
            CredentialVault vault,
            Revocations revocations,
            Clock clock,
            TokencastProperties properties,
            ObjectProvider<Refresher> refresher,
            Retirement retirement,
            ScheduledExecutorService authorizerTasks) {
        Consumer<TokenKey> refreshNow = key -> authorizerTasks.execute(() -> refresher
                .getObject()
                .refresh(
                        key,
                        RefreshReason.MANUAL,
                        new CommandContext(UUID.randomUUID(), null, false, "open-platform-authorization")));
        RetiredTokens removeToken = new RetiredTokens(
                retirement, vault, authorizerTasks, properties.refresh().lockAtMostFor());
        return new Authorizers(vault, revocations, clock, properties.instanceId(), refreshNow, removeToken);
    }

    @Bean
    AuthorizersEndpoint authorizersEndpoint(
            Authorizers authorizers,
            Components components,
            CredentialVault vault,
            Revocations revocations,
            OpenPlatformProperties properties) {
        return new AuthorizersEndpoint(authorizers, components, vault, revocations, properties);
    }

    @Bean
    AuthorizationEvents authorizationEvents(
            Authorizers authorizers,
            TokenStore tokens,
            RecordEncryption encryption,
            WeChatTransport http,
            Clock clock) {
        return new AuthorizationEvents(authorizers, tokens, encryption, http, clock);
    }

    @Bean
    OpenPlatformStartup openPlatformStartup(
            CredentialVault vault, Authorizers authorizers, OpenPlatformProperties properties) {
        return new OpenPlatformStartup(vault, authorizers, properties);
    }

    @Bean
    @Primary
    CredentialSource routingCredentialSource(
            @Qualifier("credentialSource") CredentialSource accessTokens,
            Components components,
            CredentialVault vault,
            TicketPushRequests pushes,
            Revocations revocations,
            WeChatTransport http,
            TokenStore tokens,
            RecordEncryption encryption,
            StringRedisTemplate redis,
            Clock clock,
            TokencastProperties properties,
            OpenPlatformProperties openPlatform,
            CredentialCatalog catalog) {
        String prefix = properties.redis().keyPrefix();
        TicketSource.WeCom wecom = new TicketSource.WeCom(
                new WeChatTransport(new WeChatHttpClient.Host(
                        baseUrl(properties.wecom(), WeChatHttpClient.WECOM_DEFAULT_URL),
                        properties.wecom().timeout())),
                () -> catalog.all().stream().map(ManagedCredential::key).toList(),
                new TicketHourlyLimits(
                        redis,
                        prefix,
                        properties.quota().wecomTicketHourlyPerCorp(),
                        properties.quota().wecomTicketHourlyPerApp(),
                        clock));
        return new RoutingCredentialSource(
                accessTokens,
                new ComponentTokenSource(components, vault, pushes, http, clock, openPlatform.verifyTicketMaxAge()),
                new AuthorizerTokenSource(tokens, encryption, vault, revocations, http, clock, properties.instanceId()),
                new TicketSource(tokens, encryption, http, wecom, redis, prefix, clock));
    }

    private static URI baseUrl(TokencastProperties.Api api, URI defaultUrl) {
        return api.apiBaseUrl() == null ? defaultUrl : api.apiBaseUrl();
    }
}
