package io.tokencast.refresher.openplatform;

import io.tokencast.refresher.RefresherApplication;
import io.tokencast.refresher.leader.Leadership;
import io.tokencast.schema.EventCodec;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.testkit.LocalInfrastructure;
import io.tokencast.testkit.MutableClock;
import io.tokencast.testkit.wechat.WeChatSandbox;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Refresher replicas in this JVM on one Redis, one broker, one sandbox and one virtual clock. */
final class Replicas implements AutoCloseable {

    final MutableClock clock;
    final WeChatSandbox sandbox;
    final String tokensTopic = LocalInfrastructure.uniqueName("op-tokens");
    final String keyPrefix = LocalInfrastructure.uniqueName("op") + ":";
    private final String redisUrl;
    private final List<String> properties;
    private final Map<String, ConfigurableApplicationContext> running = new LinkedHashMap<>();

    Replicas(MutableClock clock, WeChatSandbox sandbox, String redisUrl, List<String> properties) {
        this.clock = clock;
        this.sandbox = sandbox;
        this.redisUrl = redisUrl;
        this.properties = List.copyOf(properties);
    }

    ConfigurableApplicationContext start(String instanceId) {
        List<String> all = new ArrayList<>(List.of(
                "server.port=0",
                "spring.main.banner-mode=off",
                "spring.kafka.bootstrap-servers=" + LocalInfrastructure.shared().kafkaBootstrapServers(),
                "spring.data.redis.url=" + redisUrl,
                "tokencast.instance-id=" + instanceId,
                "tokencast.topics.tokens=" + tokensTopic,
                "tokencast.topics.audit=" + tokensTopic + "-audit",
                "tokencast.topics.admin=" + tokensTopic + "-admin",
                "tokencast.topics.credentials=" + tokensTopic + "-credentials",
                "tokencast.redis.key-prefix=" + keyPrefix,
                "tokencast.wechat.api-base-url=" + sandbox.url(),
                "tokencast.wecom.api-base-url=" + sandbox.url(),
                "tokencast.refresh.tick=100ms"));
        all.addAll(properties);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(RefresherApplication.class)
                .initializers(ctx -> ctx.getBeanFactory().registerSingleton("testClock", clock))
                .run(all.stream().map(p -> "--" + p).toArray(String[]::new));
        running.put(instanceId, context);
        return context;
    }

    void stop(String instanceId) {
        ConfigurableApplicationContext context = running.remove(instanceId);
        if (context != null) {
            context.close();
        }
    }

    ConfigurableApplicationContext context(String instanceId) {
        return running.get(instanceId);
    }

    boolean isLeader(String instanceId) {
        return context(instanceId).getBean(Leadership.class).isLeader();
    }

    URI callbackUrl(String instanceId, String componentAppid) {
        String port = context(instanceId).getEnvironment().getProperty("local.server.port");
        return URI.create("http://127.0.0.1:" + port + "/wechat/open-platform/" + componentAppid + "/callback");
    }

    /** Every TokenRefreshed on the tokens topic, in offset order (one partition); tombstones left out. */
    List<TokenRefreshed> tokens() {
        return records().stream()
                .filter(r -> r.value() != null)
                .map(r -> EventCodec.json().decode(r.value(), TokenRefreshed.class))
                .toList();
    }

    /** The keys of the tombstones on the tokens topic, in offset order. */
    List<String> tombstones() {
        return records().stream()
                .filter(r -> r.value() == null)
                .map(ConsumerRecord::key)
                .toList();
    }

    private List<ConsumerRecord<String, byte[]>> records() {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                LocalInfrastructure.shared().kafkaBootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false);
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(tokensTopic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(tokensTopic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                consumer.poll(Duration.ofMillis(100)).forEach(out::add);
            }
            return out;
        }
    }

    List<TokenRefreshed> tokens(TokenKey key) {
        return tokens().stream().filter(t -> t.tokenKey().equals(key)).toList();
    }

    @Override
    public void close() {
        new ArrayList<>(running.keySet()).forEach(this::stop);
    }
}
