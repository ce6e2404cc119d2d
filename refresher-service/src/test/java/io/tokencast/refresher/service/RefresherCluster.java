package io.tokencast.refresher.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokencast.refresher.leader.Leadership;
import io.tokencast.refresher.service.testing.RunningRefreshers;
import io.tokencast.refresher.service.testing.TestRefresher;
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

    /** Where this cluster's log lines begin: no replica, sandbox or token of it exists before. */
    private final int logMark = LOGS.mark();

    final MutableClock clock = new MutableClock(START);
    final WeChatSandbox sandbox = WeChatSandbox.start(clock);
    final Topics topics = new Topics(LocalInfrastructure.shared().kafkaBootstrapServers());
    /** The operator whose signed commands the replicas serve. */
    final Operator operator = Operator.named("ops-test");

    final TestRefresher refresher;
    final String tokensTopic;
    final String auditTopic;
    final String keyPrefix;

    final List<TestApp> apps;
    private final RunningRefreshers running;

    RefresherCluster(String redisUrl, List<TestApp> apps, Map<String, String> extraProperties) {
        this.apps = List.copyOf(apps);
        apps.forEach(app -> sandbox.registerApp(app.appid(), app.secret()));
        this.refresher = TestRefresher.named("cluster", clock).sandbox(sandbox).redis(redisUrl);
        apps.forEach(app -> refresher.wechatApp(app.appid(), app.secret(), app.api()));
        refresher.properties(List.of(operator.property())).properties(TestOperator.properties());
        extraProperties.forEach(refresher::property);
        this.tokensTopic = refresher.tokensTopic();
        this.auditTopic = refresher.auditTopic();
        this.keyPrefix = refresher.keyPrefix();
        this.running = new RunningRefreshers(refresher);
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
        return running.start(instanceId, more);
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
        List<String> logs = logLines();
        assertThat(logs).as("log lines").isNotEmpty();
        SecretScan scan = new SecretScan(secrets);
        assertThat(scan.textsWithASecret(logs)).as("log lines with a secret").isEmpty();
        assertThat(scan.textsWithASecret(audit))
                .as("audit records with a secret")
                .isEmpty();
    }

    /** The log lines of this JVM since the cluster was made. */
    List<String> logLines() {
        return LOGS.linesSince(logMark);
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
