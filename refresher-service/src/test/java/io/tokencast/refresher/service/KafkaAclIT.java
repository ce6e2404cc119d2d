package io.tokencast.refresher.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tokencast.consumer.TokenView;
import io.tokencast.refresher.service.testing.RunningRefreshers;
import io.tokencast.refresher.service.testing.TestRefresher;
import io.tokencast.schema.TokenKey;
import io.tokencast.testkit.MutableClock;
import io.tokencast.testkit.SecuredKafkaBroker;
import io.tokencast.testkit.wechat.WeChatSandbox;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The chain under Kafka authentication and ACLs (docs/security.md §3): a broker that knows SCRAM users on a
 * SASL_SSL listener and certificate holders on a mutual-TLS listener, with a CA made for this test, and an
 * authorizer that denies whatever the ACL matrix does not allow. The refresher publishes as {@code refresher};
 * a service reads its tokens as {@code orders} (SCRAM) and as {@code payments} (a client certificate); neither
 * service, nor an operator, can write tokens, credentials or (services) admin commands.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaAclIT {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T01:00:00Z"));
    private final TestRefresher refresher = TestRefresher.named("acl", clock);
    /** Every topic and consumer group of the refresher begins with it. */
    private final String prefix = refresher.name();

    private final String tokens = refresher.tokensTopic();
    private final String audit = refresher.auditTopic();
    private final String admin = refresher.adminTopic();
    private final String credentials = refresher.credentialsTopic();
    private final String consumers = refresher.consumersTopic();
    private final String reports = refresher.reportsTopic();
    private final List<TestApp> apps = TestApp.many(0xac1a, 2);
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private SecuredKafkaBroker kafka;
    private WeChatSandbox sandbox;
    private RunningRefreshers refreshers;

    @BeforeAll
    void startTheChainUnderAcls() {
        kafka = SecuredKafkaBroker.start();
        sandbox = WeChatSandbox.start(clock);
        apps.forEach(app -> sandbox.registerApp(app.appid(), app.secret()));

        // the matrix of docs/security.md §3, for this test's topic names
        kafka.allow("refresher", ResourceType.TOPIC, prefix, PatternType.PREFIXED, AclOperation.ALL);
        kafka.allow("refresher", ResourceType.GROUP, prefix, PatternType.PREFIXED, AclOperation.ALL);
        for (String service : List.of("orders", "payments")) {
            kafka.allow(service, ResourceType.TOPIC, tokens, PatternType.LITERAL, AclOperation.READ);
            kafka.allow(service, ResourceType.TOPIC, reports, PatternType.LITERAL, AclOperation.WRITE);
            kafka.allow(service, ResourceType.TOPIC, consumers, PatternType.LITERAL, AclOperation.WRITE);
        }
        kafka.allow("alice", ResourceType.TOPIC, admin, PatternType.LITERAL, AclOperation.WRITE);
        kafka.allow("alice", ResourceType.TOPIC, audit, PatternType.LITERAL, AclOperation.READ);

        apps.forEach(app -> refresher.wechatApp(app.appid(), app.secret(), app.api()));
        refreshers = new RunningRefreshers(
                refresher.sandbox(sandbox).kafka(kafka.scramClient("refresher")).properties(TestOperator.properties()));
        refreshers.start("acl-refresher");
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
        if (refreshers != null) {
            refreshers.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void servicesReadTheirTokensOverScramAndOverMutualTls() {
        TokenView orders = view("orders", kafka.scramClient("orders"));
        TokenView payments = view("payments", kafka.tlsClient("payments"));

        for (TestApp app : apps) {
            TokenKey key = app.key();
            await(key + " reaches both services")
                    .atMost(Duration.ofSeconds(60))
                    .until(() ->
                            orders.find(key).isPresent() && payments.find(key).isPresent());
            assertThat(orders.find(key).orElseThrow().fingerprint())
                    .isEqualTo(payments.find(key).orElseThrow().fingerprint());
        }
        // one fetch per app: nothing retried because of the security settings
        for (TestApp app : apps) {
            assertThat(sandbox.calls(app.appid(), app.endpoint()))
                    .as(app.appid())
                    .isEqualTo(1);
        }
    }

    @Test
    void aServiceCannotWriteTokensCredentialsOrCommands() {
        Map<String, Object> orders = kafka.scramClient("orders");
        Map<String, Object> payments = kafka.tlsClient("payments-writer");
        kafka.allow("payments-writer", ResourceType.TOPIC, reports, PatternType.LITERAL, AclOperation.WRITE);

        for (Map<String, Object> service : List.of(orders, payments)) {
            for (String topic : List.of(tokens, credentials, admin, audit)) {
                assertThat(send(service, topic))
                        .as(service.get(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG) + " writing " + topic)
                        .isInstanceOf(TopicAuthorizationException.class);
            }
        }
    }

    @Test
    void anOperatorWritesCommandsButNotTokens() throws Exception {
        Map<String, Object> alice = kafka.scramClient("alice");
        assertThat(send(alice, tokens)).isInstanceOf(TopicAuthorizationException.class);
        assertThat(send(alice, credentials)).isInstanceOf(TopicAuthorizationException.class);
        await("the refresher created the admin topic")
                .atMost(Duration.ofSeconds(30))
                .until(() -> {
                    try (Admin setup = kafka.setupAdmin()) {
                        return setup.listTopics().names().get().contains(admin);
                    }
                });
        // the write is authorized (what the refresher then makes of an unsigned command is another test's)
        assertThat(send(alice, admin)).isNull();
    }

    private TokenView view(String service, Map<String, Object> client) {
        TokenView view = TokenView.builder()
                .bootstrapServers((String) client.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG))
                .kafkaProperties(client)
                .topic(tokens)
                .refresherKeysFile(TestSigning.FILES.publicFile())
                .reportsTopic(reports)
                .consumersTopic(consumers)
                .clientId(service)
                .instanceId(service + "-1")
                .clock(clock)
                .build();
        closeables.add(view);
        view.start();
        return view;
    }

    /** What sending one record as {@code client} to {@code topic} ends in: null when written, else the cause. */
    private static Throwable send(Map<String, Object> client, String topic) {
        Map<String, Object> config = new HashMap<>(client);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(
                            topic,
                            "wechat-access-token/wxforged".getBytes(StandardCharsets.UTF_8),
                            "{}".getBytes(StandardCharsets.UTF_8)))
                    .get(30, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            return e;
        }
    }
}
