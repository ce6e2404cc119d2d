package io.tokencast.refresher.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tokencast.refresher.store.TokenStore;
import io.tokencast.schema.AttemptOutcome;
import io.tokencast.schema.EventCodec;
import io.tokencast.schema.Fingerprint;
import io.tokencast.schema.RefreshAttempted;
import io.tokencast.schema.RefreshReason;
import io.tokencast.schema.RefreshRequested;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.testkit.LocalInfrastructure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The admin and reports topics end to end (docs/design.md §4.3), on a real broker and Redis with the WeChat
 * sandbox: two replicas in one consumer group serve operators' signed manual refreshes and services'
 * invalid-token reports, coalesce reports of one dead token into one fetch, run a command once however often it
 * arrives, rate-limit and budget manual fetches, and shrug off garbage, which is audited, counted and kept on the
 * dead-letter topic.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminTopicIT {

    private static final int PARTITIONS = 4;
    private static final int BROKER_MAX_MESSAGE = 2 * 1024 * 1024;

    private final TestApp reported = TestApp.of(0xad1, 0, "classic");
    private final TestApp duplicated = TestApp.of(0xad1, 1, "classic");
    private final TestApp afterGarbage = TestApp.of(0xad1, 2, "classic");
    private final TestApp limited = TestApp.of(0xad1, 3, "classic");
    private final TestApp forced = TestApp.of(0xad1, 4, "stable");
    private final TestApp shadowed = TestApp.of(0xad1, 5, "classic");

    private RefresherCluster cluster;
    private KafkaProducer<byte[], byte[]> producer;
    private String adminTopic;
    private String reportsTopic;

    @BeforeAll
    void startTwoReplicas() throws Exception {
        cluster = new RefresherCluster(
                LocalInfrastructure.shared().redisUrl(),
                List.of(reported, duplicated, afterGarbage, limited, forced, shadowed),
                Map.of("tokencast.quota.stable-force-daily", "1"));
        adminTopic = cluster.tokensTopic + "-admin";
        reportsTopic = cluster.tokensTopic + "-reports";
        createAdminTopic();
        producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        LocalInfrastructure.shared().kafkaBootstrapServers(),
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.LINGER_MS_CONFIG,
                        0,
                        ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                        BROKER_MAX_MESSAGE),
                new ByteArraySerializer(),
                new ByteArraySerializer());
        cluster.start("admin-a");
        cluster.start("admin-b");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> cluster.stored().values().stream().allMatch(s -> s.version() >= 1));
        // Settle the group first: a rebalance in the middle of a test would deliver some records twice.
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            int a = listener("admin-a").getAssignedPartitions().size();
            int b = listener("admin-b").getAssignedPartitions().size();
            return a > 0 && b > 0 && a + b == PARTITIONS;
        });
    }

    private KafkaMessageListenerContainer<?, ?> listener(String replica) {
        return cluster.context(replica).getBean("adminCommandListener", KafkaMessageListenerContainer.class);
    }

    /** Made here, before the refresher, to take the 1 MiB garbage record; the refresher keeps what exists. */
    private void createAdminTopic() throws Exception {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                LocalInfrastructure.shared().kafkaBootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(adminTopic, PARTITIONS, (short) 1)
                            .configs(Map.of(
                                    TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(BROKER_MAX_MESSAGE)))))
                    .all()
                    .get();
        }
    }

    @AfterAll
    void stop() {
        if (producer != null) {
            producer.close();
        }
        if (cluster != null) {
            cluster.closeAfterCheckingNoSecretsLeaked();
        }
    }

    @Test
    void aHundredReportsOfOneDeadTokenCauseOneFetch() throws Exception {
        TokenRefreshed dead = current(reported);
        // WeChat really refuses it, so the probe that verifies reports confirms it dead
        cluster.sandbox.invalidateTokens(reported.appid());
        long fetchesBefore = fetches(reported);
        List<RefreshRequested> reports = IntStream.range(0, 100)
                .mapToObj(i -> RefreshRequested.invalidReported(
                        reported.key(), dead.fingerprint(), "service-" + i % 10, cluster.clock.instant()))
                .toList();

        // Ten producer threads, each record on its own partition choice: both replicas take reports at once.
        long started = System.nanoTime();
        ExecutorService threads = Executors.newFixedThreadPool(10);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int t = 0; t < 10; t++) {
                List<RefreshRequested> mine = reports.subList(t * 10, t * 10 + 10);
                sent.add(threads.submit(() -> {
                    List<Future<RecordMetadata>> acks = new ArrayList<>();
                    for (int i = 0; i < mine.size(); i++) {
                        acks.add(producer.send(new ProducerRecord<>(
                                reportsTopic, keyOf(mine.get(i).tokenKey()), encode(mine.get(i)))));
                    }
                    for (Future<RecordMetadata> ack : acks) {
                        ack.get();
                    }
                    return null;
                }));
            }
            for (Future<?> f : sent) {
                f.get();
            }
        } finally {
            threads.shutdown();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));

        Map<UUID, RefreshAttempted> outcomes = awaitOutcomes(reports);

        assertThat(fetches(reported)).isEqualTo(fetchesBefore + 1);
        Map<AttemptOutcome, Long> counts = outcomes.values().stream()
                .collect(Collectors.groupingBy(RefreshAttempted::outcome, Collectors.counting()));
        assertThat(counts)
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(AttemptOutcome.REFRESHED, 1L, AttemptOutcome.COALESCED, 99L));
        RefreshAttempted refreshed = outcomes.values().stream()
                .filter(a -> a.outcome() == AttemptOutcome.REFRESHED)
                .findFirst()
                .orElseThrow();
        assertThat(refreshed.reason()).isEqualTo(RefreshReason.INVALID_REPORTED);
        assertThat(refreshed.requestedBy())
                .as("a report's requestedBy is a hint, marked so")
                .startsWith("report:service-");
        assertThat(refreshed.previousFingerprint()).isEqualTo(dead.fingerprint());
        TokenRefreshed next = current(reported);
        assertThat(next.version()).isEqualTo(dead.version() + 1);
        assertThat(next.causationId()).isEqualTo(refreshed.commandId());
        assertThat(next.reason()).isEqualTo(RefreshReason.INVALID_REPORTED);
    }

    @Test
    void aSignedCommandMovedUnderAnotherKeyIsRefusedAndDoesNotShadowItself() throws Exception {
        long fetchesBefore = fetches(shadowed);
        RefreshRequested real = cluster.operator.manual(shadowed.key(), false, cluster.clock.instant());
        byte[] signed = cluster.operator.sign(real);

        // the same signed command first arrives under another app's record key, then as itself
        producer.send(new ProducerRecord<>(adminTopic, 0, keyOf(limited.key()), signed))
                .get();
        producer.send(new ProducerRecord<>(adminTopic, 0, keyOf(shadowed.key()), signed))
                .get();

        await().atMost(Duration.ofSeconds(30)).until(() -> audited(real).size() == 1);
        assertThat(audited(real)).singleElement().satisfies(a -> {
            assertThat(a.outcome()).isEqualTo(AttemptOutcome.REFRESHED);
            assertThat(a.requestedBy()).isEqualTo(cluster.operator.name());
        });
        assertThat(audit()).anySatisfy(moved -> {
            assertThat(moved.tokenKey()).isEqualTo(limited.key().asString());
            assertThat(moved.errorCode()).isEqualTo("KEY_MISMATCH");
            assertThat(moved.requestedBy()).isEqualTo("unauthenticated");
            assertThat(moved.commandId()).isNull();
        });
        assertThat(fetches(shadowed)).isEqualTo(fetchesBefore + 1);
    }

    private List<RefreshAttempted> audited(RefreshRequested command) {
        return audit().stream()
                .filter(a -> command.commandId().equals(a.commandId()))
                .toList();
    }

    @Test
    void theSameCommandTwiceHasOneOutcome() throws Exception {
        long fetchesBefore = fetches(duplicated);
        RefreshRequested command = cluster.operator.manual(duplicated.key(), false, cluster.clock.instant());
        // Behind it on the same partition: once the marker is answered, the duplicate has been read.
        RefreshRequested marker = RefreshRequested.invalidReported(
                duplicated.key(), Fingerprint.of("long-gone"), cluster.operator.name(), cluster.clock.instant());

        send(0, command);
        send(0, command);
        send(0, marker);

        awaitOutcomes(List.of(marker));
        List<RefreshAttempted> audited = audit().stream()
                .filter(a -> command.commandId().equals(a.commandId()))
                .toList();
        assertThat(audited).singleElement().satisfies(a -> {
            assertThat(a.outcome()).isEqualTo(AttemptOutcome.REFRESHED);
            assertThat(a.reason()).isEqualTo(RefreshReason.MANUAL);
            assertThat(a.requestedBy()).isEqualTo(cluster.operator.name());
        });
        assertThat(fetches(duplicated)).isEqualTo(fetchesBefore + 1);
        assertThat(counted("tokencast.admin.commands", "outcome", "DUPLICATE")).isEqualTo(1);
    }

    @Test
    void garbageIsRejectedCountedAndDeadLetteredAndTheNextCommandIsServed() throws Exception {
        String deadLetterTopic = adminTopic + ".dlt";
        int deadLettersBefore = cluster.topics.records(deadLetterTopic).size();
        double rejectedBefore = countedAll("tokencast.admin.rejected");
        List<byte[]> garbage = garbage(1000, new Random(42));

        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (int i = 0; i < garbage.size(); i++) {
            byte[] key = i % 7 == 0 ? null : ("garbage-" + i).getBytes(StandardCharsets.UTF_8);
            acks.add(producer.send(new ProducerRecord<>(adminTopic, i % PARTITIONS, key, garbage.get(i))));
        }
        for (Future<RecordMetadata> ack : acks) {
            ack.get();
        }
        RefreshRequested valid = cluster.operator.manual(afterGarbage.key(), false, cluster.clock.instant());
        long fetchesBefore = fetches(afterGarbage);
        send(0, valid);

        assertThat(awaitOutcomes(List.of(valid)).get(valid.commandId()).outcome())
                .isEqualTo(AttemptOutcome.REFRESHED);
        assertThat(fetches(afterGarbage)).isEqualTo(fetchesBefore + 1);
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> cluster.topics.records(deadLetterTopic).size() - deadLettersBefore == garbage.size());
        List<RefreshAttempted> rejected = audit().stream()
                .filter(a -> a.tokenKey().equals("<none>") || a.tokenKey().startsWith("garbage-"))
                .toList();
        assertThat(rejected).hasSize(garbage.size());
        assertThat(rejected).allSatisfy(a -> {
            assertThat(a.outcome()).isEqualTo(AttemptOutcome.REJECTED);
            assertThat(a.errorCode()).isIn(GARBAGE_CODES);
            assertThat(a.requestedBy()).isEqualTo("unauthenticated");
            assertThat(a.commandId()).isNull();
        });
        assertThat(rejected).extracting(RefreshAttempted::errorCode).containsAll(GARBAGE_CODES);
        assertThat(rejected).extracting(RefreshAttempted::tokenKey).contains("<none>", "garbage-1");
        assertThat(countedAll("tokencast.admin.rejected") - rejectedBefore).isEqualTo(garbage.size());

        ConsumerRecord<String, byte[]> huge = cluster.topics.records(deadLetterTopic).stream()
                .filter(r -> Integer.toString(1024 * 1024).equals(header(r, "value-size")))
                .findFirst()
                .orElseThrow();
        assertThat(header(huge, "problem")).isIn(GARBAGE_CODES);
        assertThat(header(huge, "value-truncated")).isEqualTo("true");
        assertThat(header(huge, "original-topic")).isEqualTo(adminTopic);
        assertThat(header(huge, "original-offset")).isNotBlank();

        for (String replica : List.of("admin-a", "admin-b")) {
            ConfigurableApplicationContext context = cluster.context(replica);
            assertThat(context.getBean("tokencastAdminHealthIndicator", HealthIndicator.class)
                            .health()
                            .getStatus())
                    .as("admin listener health of %s", replica)
                    .isEqualTo(Status.UP);
            assertThat(context.getBean("tokencastHealthIndicator", HealthIndicator.class)
                            .health()
                            .getStatus())
                    .isEqualTo(Status.UP);
        }
    }

    @Test
    void aSecondManualRefreshWithinTheIntervalIsRejectedWithoutAFetch() throws Exception {
        long fetchesBefore = fetches(limited);
        RefreshRequested first = cluster.operator.manual(limited.key(), false, cluster.clock.instant());
        RefreshRequested second = cluster.operator.manual(limited.key(), false, cluster.clock.instant());

        send(0, first);
        assertThat(awaitOutcomes(List.of(first)).get(first.commandId()).outcome())
                .isEqualTo(AttemptOutcome.REFRESHED);
        send(0, second);
        RefreshAttempted refused = awaitOutcomes(List.of(second)).get(second.commandId());

        assertThat(refused.outcome()).isEqualTo(AttemptOutcome.REJECTED);
        assertThat(refused.errorCode()).isEqualTo("RATE_LIMITED");
        assertThat(refused.errorMessage()).contains(limited.key().asString(), "every 30 s");
        assertThat(fetches(limited)).isEqualTo(fetchesBefore + 1);
        assertThat(counted("tokencast.admin.rejected", "reason", "RATE_LIMITED"))
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void aForcedRefreshBeyondTheDailyForceBudgetIsRejectedAndLeavesTheScheduleAlone() throws Exception {
        RefreshRequested first = cluster.operator.manual(forced.key(), true, cluster.clock.instant());
        send(0, first);
        assertThat(awaitOutcomes(List.of(first)).get(first.commandId()).outcome())
                .isEqualTo(AttemptOutcome.REFRESHED);
        long fetchesBefore = fetches(forced);

        RefreshRequested second = cluster.operator.manual(forced.key(), true, cluster.clock.instant());
        send(0, second);
        RefreshAttempted refused = awaitOutcomes(List.of(second)).get(second.commandId());

        assertThat(refused.outcome()).isEqualTo(AttemptOutcome.REJECTED);
        assertThat(refused.errorCode()).isEqualTo("QUOTA_EXHAUSTED");
        assertThat(fetches(forced)).isEqualTo(fetchesBefore);
        assertThat(cluster.context("admin-a")
                        .getBean(TokenStore.class)
                        .read(forced.key())
                        .retry())
                .as("a refused command must not push the key's scheduled refresh back")
                .isNull();
    }

    // A command for an unknown key sent under a garbage record key is refused for the key mismatch, the first
    // check a record meets (docs/design.md §5.3); everything else is unsigned, whatever else is wrong with it.
    private static final Set<String> GARBAGE_CODES = Set.of("UNAUTHENTICATED", "KEY_MISMATCH");

    /**
     * {@code count} records that are no valid command: random bytes, truncated JSON, the wrong event type,
     * missing and invalid fields, unknown keys, and one payload of 1 MiB.
     */
    private List<byte[]> garbage(int count, Random random) {
        JsonMapper json = JsonMapper.builder().build();
        List<byte[]> records = new ArrayList<>();
        byte[] huge = new byte[1024 * 1024];
        Arrays.fill(huge, (byte) 'x');
        records.add(huge);
        for (int i = 1; i < count; i++) {
            RefreshRequested valid =
                    RefreshRequested.manual(afterGarbage.key(), false, "garbage", cluster.clock.instant());
            byte[] encoded = encode(valid);
            byte[] record =
                    switch (i % 6) {
                        case 0 -> {
                            byte[] bytes = new byte[1 + random.nextInt(2000)];
                            random.nextBytes(bytes);
                            yield bytes;
                        }
                        case 1 -> Arrays.copyOf(encoded, 1 + random.nextInt(encoded.length - 2));
                        case 2 -> EventCodec.json().encode(wrongType(afterGarbage.key(), cluster.clock.instant()));
                        case 3 -> encode(RefreshRequested.manual(
                                TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, "wxunknown" + i),
                                false,
                                "garbage",
                                cluster.clock.instant()));
                        case 4 -> {
                            ObjectNode node = (ObjectNode) json.readTree(encoded);
                            node.remove("commandId");
                            yield json.writeValueAsBytes(node);
                        }
                        default -> {
                            ObjectNode node = (ObjectNode) json.readTree(encoded);
                            node.put("reason", "SCHEDULED");
                            yield json.writeValueAsBytes(node);
                        }
                    };
            records.add(record);
        }
        return records;
    }

    private Map<UUID, RefreshAttempted> awaitOutcomes(List<RefreshRequested> commands) {
        Set<UUID> ids = commands.stream().map(RefreshRequested::commandId).collect(Collectors.toSet());
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> audit().stream()
                                .map(RefreshAttempted::commandId)
                                .filter(ids::contains)
                                .count()
                        >= ids.size());
        List<RefreshAttempted> mine =
                audit().stream().filter(a -> ids.contains(a.commandId())).toList();
        assertThat(mine).as("one audit record per command").hasSize(ids.size());
        return mine.stream().collect(Collectors.toMap(RefreshAttempted::commandId, Function.identity()));
    }

    private List<RefreshAttempted> audit() {
        return cluster.topics.audit(cluster.auditTopic);
    }

    private TokenRefreshed current(TestApp app) {
        return cluster.stored().get(app.key()).token();
    }

    private long fetches(TestApp app) {
        return cluster.sandbox.calls(app.appid(), app.endpoint());
    }

    /** Sends a command signed by the cluster's operator. */
    private void send(int partition, RefreshRequested command) throws Exception {
        producer.send(new ProducerRecord<>(
                        adminTopic, partition, keyOf(command.tokenKey()), cluster.operator.sign(command)))
                .get();
    }

    /** A counter summed over both replicas. */
    private double counted(String name, String tag, String value) {
        return registries().stream()
                .flatMap(r -> r.find(name).tag(tag, value).counters().stream())
                .mapToDouble(Counter::count)
                .sum();
    }

    private double countedAll(String name) {
        return registries().stream()
                .flatMap(r -> r.find(name).counters().stream())
                .mapToDouble(Counter::count)
                .sum();
    }

    private List<MeterRegistry> registries() {
        return List.of(
                cluster.context("admin-a").getBean(MeterRegistry.class),
                cluster.context("admin-b").getBean(MeterRegistry.class));
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader("tokencast.dlt." + name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static byte[] keyOf(TokenKey key) {
        return key.asString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] encode(RefreshRequested command) {
        return EventCodec.json().encode(command);
    }

    /** A well-formed event, but of the wrong type for the admin topic. */
    private static TokenRefreshed wrongType(TokenKey key, Instant now) {
        return TokenRefreshed.of(
                key,
                1,
                "not-a-command",
                now,
                now.plusSeconds(7200),
                now.plusSeconds(5400),
                RefreshReason.SCHEDULED,
                "garbage",
                null);
    }
}
