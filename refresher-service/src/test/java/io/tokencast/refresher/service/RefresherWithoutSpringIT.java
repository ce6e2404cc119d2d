package io.tokencast.refresher.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tokencast.refresher.policy.StandardRefreshPolicy;
import io.tokencast.refresher.refresh.RefreshOutcome;
import io.tokencast.refresher.refresh.Refresher;
import io.tokencast.refresher.service.config.TokencastProperties;
import io.tokencast.refresher.service.leader.RedisLocks;
import io.tokencast.refresher.service.leader.ShedLockKeyLocks;
import io.tokencast.refresher.service.publish.KafkaClientSettings;
import io.tokencast.refresher.service.publish.KafkaEventPublisher;
import io.tokencast.refresher.service.publish.KafkaTokenTopic;
import io.tokencast.refresher.service.quota.RedisQuotaGuard;
import io.tokencast.refresher.service.store.RedisTokenStore;
import io.tokencast.refresher.signing.RecordSigning;
import io.tokencast.refresher.wechat.FetchMode;
import io.tokencast.refresher.wechat.ManagedCredential;
import io.tokencast.refresher.wechat.WeChatApi;
import io.tokencast.refresher.wechat.WeChatHttpClient;
import io.tokencast.schema.RefreshReason;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import io.tokencast.testkit.LocalInfrastructure;
import io.tokencast.testkit.wechat.WeChatSandbox;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.javacrumbs.shedlock.core.DefaultLockingTaskExecutor;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * A refresher assembled by hand, as a benchmark or another host would, from {@code Refresher.builder()} and
 * refresher-service's Redis and Kafka adapters, with no Spring context: it fetches from the sandbox, writes
 * Redis, counts the quota and publishes a version that reads back from the tokens topic.
 */
class RefresherWithoutSpringIT {

    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(10);

    @Test
    void refreshesThroughTheAdaptersWithoutASpringContext() throws Exception {
        Clock clock = Clock.systemUTC();
        String bootstrap = LocalInfrastructure.shared().kafkaBootstrapServers();
        String tokens = LocalInfrastructure.uniqueName("by-hand.tokens");
        String audit = tokens + "-audit";
        String prefix = LocalInfrastructure.uniqueName("by-hand") + ":";
        TokenKey key = TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, "wxbyhand0000001");
        ManagedCredential credential = new ManagedCredential(key, WeChatApi.STABLE, "by-hand-secret");
        Map<String, Object> kafka = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(tokens, 1, (short) 1), new NewTopic(audit, 1, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        RecordSigning signing = TestSigning.recordSigning(meters);
        try (WeChatSandbox sandbox = WeChatSandbox.start(clock);
                SharedRedis redisConnection = SharedRedis.connect();
                KafkaEventPublisher publisher = new KafkaEventPublisher(
                        new KafkaProducer<>(
                                KafkaClientSettings.producer(kafka, "by-hand", KAFKA_TIMEOUT),
                                new StringSerializer(),
                                new ByteArraySerializer()),
                        tokens,
                        audit,
                        KAFKA_TIMEOUT,
                        signing)) {
            sandbox.registerApp(key.account(), "by-hand-secret");
            StringRedisTemplate redis = redisConnection.template();
            RedisTokenStore store = new RedisTokenStore(redis, prefix, clock, signing);
            RedisQuotaGuard quota = new RedisQuotaGuard(
                    redis, prefix, new TokencastProperties.Quota(2000, 20, 500000, 2000, 400, 100), clock);
            WeChatHttpClient.Host host = new WeChatHttpClient.Host(sandbox.url(), KAFKA_TIMEOUT);
            Refresher refresher = Refresher.builder()
                    .credentials(List.of(credential))
                    .store(store)
                    .locks(new ShedLockKeyLocks(
                            new DefaultLockingTaskExecutor(
                                    RedisLocks.provider(redis.getRequiredConnectionFactory(), prefix)),
                            Duration.ofSeconds(30)))
                    .source(new WeChatHttpClient(host, host, clock))
                    .quota(quota)
                    .policy(new StandardRefreshPolicy(
                            Duration.ofSeconds(2), Duration.ofMinutes(5), Duration.ofHours(1)))
                    .publisher(publisher)
                    .signing(signing)
                    .meterRegistry(meters)
                    .clock(clock)
                    .instanceId("by-hand")
                    .build();
            // A new prefix over a new topic: nothing to recover, which the scheduler's recovery would find too.
            store.markRecovered("by-hand");

            RefreshOutcome outcome = refresher.refresh(key, RefreshReason.STARTUP, null);

            assertThat(outcome.result()).isEqualTo(RefreshOutcome.Result.REFRESHED);
            assertThat(store.read(key).version()).isEqualTo(1);
            assertThat(quota.usedToday(credential, FetchMode.NORMAL)).isEqualTo(1);
            KafkaTokenTopic topic = new KafkaTokenTopic(
                    () -> new KafkaConsumer<>(
                            KafkaClientSettings.topicReader(
                                    Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), "by-hand-reader"),
                            new StringDeserializer(),
                            new ByteArrayDeserializer()),
                    tokens,
                    KAFKA_TIMEOUT,
                    signing);
            assertThat(topic.readToEnd())
                    .hasEntrySatisfying(
                            key, signed -> assertThat(signed.event().version()).isEqualTo(1));
        }
    }
}
