package io.tokencast.refresher;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokencast.refresher.leader.Leadership;
import io.tokencast.refresher.store.StoredToken;
import io.tokencast.refresher.store.TokenStore;
import io.tokencast.schema.EventCodec;
import io.tokencast.schema.RefreshAttempted;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.testkit.LocalInfrastructure;
import io.tokencast.testkit.MutableClock;
import io.tokencast.testkit.wechat.WeChatSandbox;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Refresher replicas for an integration test: Spring contexts in this JVM sharing one Redis, one broker,
 * one WeChat sandbox and one virtual clock, with topics and Redis keys of their own.
 */
final class RefresherCluster implements AutoCloseable {

    static final Instant START = Instant.parse("2026-03-02T01:00:00Z");

    private static final LogCapture LOGS = LogCapture.get();

    final MutableClock clock = new MutableClock(START);
    final WeChatSandbox sandbox = WeChatSandbox.start(clock);
    final Topics topics = new Topics(LocalInfrastructure.shared().kafkaBootstrapServers());
    final String tokensTopic = LocalInfrastructure.uniqueName("tokens");
    final String auditTopic = LocalInfrastructure.uniqueName("audit");
    final String keyPrefix = LocalInfrastructure.uniqueName("tokencast") + ":";
    final String adminGroup = LocalInfrastructure.uniqueName("tokencast-refresher");
    /** The operator whose signed commands the replicas serve. */
    final Operator operator = Operator.named("ops-test");

    final List<TestApp> apps;
    private final String redisUrl;
    private final Map<String, String> extra;
    private final RunningRefreshers running = new RunningRefreshers(clock);

    RefresherCluster(String redisUrl, List<TestApp> apps, Map<String, String> extraProperties) {
        this.redisUrl = redisUrl;
        this.apps = List.copyOf(apps);
        this.extra = Map.copyOf(extraProperties);
        apps.forEach(app -> sandbox.registerApp(app.appid(), app.secret()));
    }

    RefresherCluster(List<TestApp> apps) {
        this(LocalInfrastructure.shared().redisUrl(), apps, Map.of());
    }

    /** Starts a replica named {@code instanceId}. */
    ConfigurableApplicationContext start(String instanceId) {
        return start(instanceId, Map.of());
    }

    /** Starts a replica named {@code instanceId} with {@code more} properties on top of the cluster's. */
    ConfigurableApplicationContext start(String instanceId, Map<String, String> more) {
        List<String> properties = new ArrayList<>(List.of(
                "server.port=0",
                "management.server.port=0",
                "spring.main.banner-mode=off",
                "spring.kafka.bootstrap-servers=" + LocalInfrastructure.shared().kafkaBootstrapServers(),
                "spring.data.redis.url=" + redisUrl,
                "tokencast.instance-id=" + instanceId,
                "tokencast.topics.tokens=" + tokensTopic,
                "tokencast.topics.audit=" + auditTopic,
                "tokencast.topics.admin=" + tokensTopic + "-admin",
                "tokencast.topics.reports=" + tokensTopic + "-reports",
                "tokencast.topics.credentials=" + tokensTopic + "-credentials",
                "tokencast.topics.consumers=" + tokensTopic + "-consumers",
                "tokencast.redis.key-prefix=" + keyPrefix,
                // A group of the cluster's own: a replica of another test, gone without leaving, cannot stall it.
                "tokencast.admin.group-id=" + adminGroup,
                operator.property(),
                "tokencast.wechat.api-base-url=" + sandbox.url(),
                "tokencast.wechat.allow-insecure-base-url=true",
                "tokencast.wecom.api-base-url=" + sandbox.url(),
                "tokencast.wecom.allow-insecure-base-url=true",
                "tokencast.refresh.tick=100ms",
                // The refresher embeds the consumer library; its token view is not under test here.
                "tokencast.consumer.enabled=false"));
        for (int i = 0; i < apps.size(); i++) {
            TestApp app = apps.get(i);
            properties.add("tokencast.apps[" + i + "].kind=wechat-access-token");
            properties.add("tokencast.apps[" + i + "].account=" + app.appid());
            properties.add("tokencast.apps[" + i + "].secret=" + app.secret());
            properties.add("tokencast.apps[" + i + "].api=" + app.api());
        }
        properties.addAll(TestOperator.properties());
        Map<String, String> extras = new java.util.LinkedHashMap<>(extra);
        extras.putAll(more);
        extras.forEach((k, v) -> properties.add(k + "=" + v));
        return running.start(instanceId, properties);
    }

    void stop(String instanceId) {
        running.stop(instanceId);
    }

    ConfigurableApplicationContext context(String instanceId) {
        return running.context(instanceId);
    }

    /** The running replicas that consider themselves leader. */
    List<String> leaders() {
        return running.all().entrySet().stream()
                .filter(e -> e.getValue().getBean(Leadership.class).isLeader())
                .map(Map.Entry::getKey)
                .toList();
    }

    /** The sum of the {@code tokencast.leader} gauge over the running replicas. */
    double leaderGauges() {
        return running.all().values().stream()
                .mapToDouble(c -> c.getBean(io.micrometer.core.instrument.MeterRegistry.class)
                        .get("tokencast.leader")
                        .gauge()
                        .value())
                .sum();
    }

    Optional<String> leader() {
        List<String> leaders = leaders();
        return leaders.size() == 1 ? Optional.of(leaders.get(0)) : Optional.empty();
    }

    /** Fails if a log line or an audit record shows a configured secret or a token from the tokens topic. */
    void assertNoSecretsLeaked() {
        List<String> secrets = new ArrayList<>();
        apps.forEach(app -> secrets.add(app.secret()));
        topics.tokens(tokensTopic).stream().filter(t -> t.token() != null).forEach(t -> secrets.add(t.token()));
        List<String> audit = topics.records(auditTopic).stream()
                .map(r -> new String(r.value(), StandardCharsets.UTF_8))
                .toList();
        audit.forEach(json -> EventCodec.json().decode(json, RefreshAttempted.class));
        List<String> logs = LOGS.lines();
        assertThat(logs).as("log lines").isNotEmpty();
        for (String secret : secrets) {
            assertThat(logs).as("log lines").noneMatch(line -> line.contains(secret));
            assertThat(audit).as("audit records").noneMatch(json -> json.contains(secret));
        }
    }

    /** Closes the cluster after {@link #assertNoSecretsLeaked()}, also when that check fails. */
    void closeAfterCheckingNoSecretsLeaked() {
        try {
            assertNoSecretsLeaked();
        } finally {
            close();
        }
    }

    /** What Redis holds for every app, read through a running replica's store. */
    Map<TokenKey, StoredToken> stored() {
        ConfigurableApplicationContext any = running.all().values().iterator().next();
        return any.getBean(TokenStore.class)
                .readAll(apps.stream().map(TestApp::key).toList());
    }

    /** The newest version of every app's token on the topic (absent apps missing). */
    Map<TokenKey, TokenRefreshed> latest() {
        return topics.latest(tokensTopic);
    }

    @Override
    public void close() {
        running.close();
        sandbox.close();
    }
}
