package io.tokencast.refresher.service.testing;

import io.tokencast.refresher.service.RefresherApplication;
import io.tokencast.testkit.LocalInfrastructure;
import io.tokencast.testkit.signing.TestRefresherKey;
import io.tokencast.testkit.wechat.WeChatSandbox;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The one recipe for a refresher in an integration test (any module's): the {@link RefresherApplication} in
 * this JVM on a clock the test gives (usually a virtual one), against the testkit's shared broker and Redis,
 * with topics, a Redis key prefix and consumer groups no other test uses, WeChat and WeCom at the test's
 * sandbox, a 100 ms tick, the test JVM's refresher signing key ({@link TestRefresherKey#shared()}, which the
 * tests' readers trust) and the embedded consumer view off. A test adds its credentials and properties;
 * replicas of one refresher share everything but their instance id.
 */
public final class TestRefresher {

    private final String name;
    private final String tokensTopic;
    private final String keyPrefix;
    private final String adminGroup;
    private final Clock clock;
    private String bootstrapServers;
    private final Map<String, Object> kafkaClient = new LinkedHashMap<>();
    private String redisUrl;
    private URI wechat;
    private Duration tick = Duration.ofMillis(100);
    private final List<String> credentials = new ArrayList<>();
    private final Map<String, String> properties = new LinkedHashMap<>();
    private int apps;

    private TestRefresher(String name, Clock clock) {
        this.name = LocalInfrastructure.uniqueName(name);
        this.tokensTopic = this.name + "-tokens";
        this.keyPrefix = this.name + ":";
        this.adminGroup = this.name + "-refresher";
        this.clock = clock;
    }

    /** A refresher whose topics, keys and groups are named after {@code name} and unique in this JVM. */
    public static TestRefresher named(String name, Clock clock) {
        return new TestRefresher(name, clock);
    }

    /** WeChat's and WeCom's API at {@code sandbox}. */
    public TestRefresher sandbox(WeChatSandbox sandbox) {
        this.wechat = sandbox.url();
        return this;
    }

    /** A credential to manage: {@code kind/account} with its secret; {@code api} only for WeChat apps, else null. */
    public TestRefresher credential(String kind, String account, String secret, String api) {
        int i = apps++;
        credentials.add("tokencast.apps[" + i + "].kind=" + kind);
        credentials.add("tokencast.apps[" + i + "].account=" + account);
        credentials.add("tokencast.apps[" + i + "].secret=" + secret);
        if (api != null) {
            credentials.add("tokencast.apps[" + i + "].api=" + api);
        }
        return this;
    }

    /** A WeChat app's access token, on {@code api} ({@code stable} or {@code classic}). */
    public TestRefresher wechatApp(String appid, String secret, String api) {
        return credential("wechat-access-token", appid, secret, api);
    }

    /** Another Redis than the shared one (a dedicated, TLS or ACL one). */
    public TestRefresher redis(String url) {
        this.redisUrl = url;
        return this;
    }

    /**
     * Another broker than the shared one: its client settings as a Kafka client map, bootstrap servers and all;
     * the rest (security protocol, SASL, trust store) go in as {@code spring.kafka.properties.*}, as Spring Boot
     * users pass them.
     */
    public TestRefresher kafka(Map<String, Object> client) {
        client.forEach((name, value) -> {
            if (name.equals("bootstrap.servers")) {
                bootstrapServers = String.valueOf(value);
            } else {
                kafkaClient.put(name, value);
            }
        });
        return this;
    }

    /** The refresh tick (100 ms unless set). */
    public TestRefresher tick(Duration tick) {
        this.tick = tick;
        return this;
    }

    /** A property of every replica, over the recipe's own; a later call for the same name wins. */
    public TestRefresher property(String name, Object value) {
        properties.put(name, String.valueOf(value));
        return this;
    }

    /** Properties of every replica, as {@code name=value}. */
    public TestRefresher properties(List<String> nameValues) {
        nameValues.forEach(p -> {
            int at = p.indexOf('=');
            property(p.substring(0, at), p.substring(at + 1));
        });
        return this;
    }

    /** The name unique in this JVM that begins every topic, key and consumer group name of this refresher. */
    public String name() {
        return name;
    }

    public String tokensTopic() {
        return tokensTopic;
    }

    public String auditTopic() {
        return tokensTopic + "-audit";
    }

    public String adminTopic() {
        return tokensTopic + "-admin";
    }

    public String reportsTopic() {
        return tokensTopic + "-reports";
    }

    public String credentialsTopic() {
        return tokensTopic + "-credentials";
    }

    public String consumersTopic() {
        return tokensTopic + "-consumers";
    }

    /** The Redis key prefix, ending in {@code :}. */
    public String keyPrefix() {
        return keyPrefix;
    }

    public String adminGroup() {
        return adminGroup;
    }

    public Clock clock() {
        return clock;
    }

    /** Every property of the replica {@code instanceId}, as {@code name=value}. */
    public List<String> properties(String instanceId) {
        return properties(instanceId, Map.of());
    }

    /** Every property of the replica {@code instanceId} with {@code more} on top, as {@code name=value}. */
    public List<String> properties(String instanceId, Map<String, String> more) {
        Map<String, String> own = new LinkedHashMap<>(properties);
        own.putAll(more);
        Map<String, String> all = new LinkedHashMap<>();
        all.put("server.port", "0");
        all.put("management.server.port", "0");
        all.put("spring.main.banner-mode", "off");
        all.put(
                "spring.kafka.bootstrap-servers",
                bootstrapServers != null
                        ? bootstrapServers
                        : LocalInfrastructure.shared().kafkaBootstrapServers());
        kafkaClient.forEach((name, value) -> all.put("spring.kafka.properties." + name, String.valueOf(value)));
        all.put(
                "spring.data.redis.url",
                redisUrl != null ? redisUrl : LocalInfrastructure.shared().redisUrl());
        all.put("tokencast.instance-id", instanceId);
        all.put("tokencast.topics.tokens", tokensTopic());
        all.put("tokencast.topics.audit", auditTopic());
        all.put("tokencast.topics.admin", adminTopic());
        all.put("tokencast.topics.reports", reportsTopic());
        all.put("tokencast.topics.credentials", credentialsTopic());
        all.put("tokencast.topics.consumers", consumersTopic());
        all.put("tokencast.redis.key-prefix", keyPrefix);
        // A group of the test's own: a replica of another test, gone without leaving, cannot stall it.
        all.put("tokencast.admin.group-id", adminGroup);
        if (wechat != null) {
            all.put("tokencast.wechat.api-base-url", wechat.toString());
            all.put("tokencast.wechat.allow-insecure-base-url", "true");
            all.put("tokencast.wecom.api-base-url", wechat.toString());
            all.put("tokencast.wecom.allow-insecure-base-url", "true");
        }
        all.put("tokencast.refresh.tick", tick.toMillis() + "ms");
        // The refresher embeds the consumer library; its token view is not what these tests look at.
        all.put("tokencast.consumer.enabled", "false");
        if (own.keySet().stream().noneMatch(name -> name.startsWith("tokencast.signing."))) {
            all.put(
                    "tokencast.signing.key-file",
                    TestRefresherKey.shared().privateJwkSetFile().toString());
        }
        all.putAll(own);
        List<String> list = new ArrayList<>();
        all.forEach((name, value) -> list.add(name + "=" + value));
        list.addAll(credentials);
        return list;
    }

    /** Starts the replica {@code instanceId}. */
    public ConfigurableApplicationContext start(String instanceId) {
        return start(instanceId, Map.of());
    }

    /** Starts the replica {@code instanceId} with {@code more} properties on top of the refresher's. */
    public ConfigurableApplicationContext start(String instanceId, Map<String, String> more) {
        List<String> all = properties(instanceId, more);
        // As command-line arguments: default properties would lose to the application.yml in the refresher's jar.
        return new SpringApplicationBuilder(RefresherApplication.class)
                .initializers(context -> context.getBeanFactory().registerSingleton("testClock", clock))
                .run(all.stream().map(p -> "--" + p).toArray(String[]::new));
    }
}
