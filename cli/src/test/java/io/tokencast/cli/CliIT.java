package io.tokencast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokencast.schema.AttemptOutcome;
import io.tokencast.schema.EventCodec;
import io.tokencast.schema.RefreshAttempted;
import io.tokencast.schema.RefreshReason;
import io.tokencast.schema.RefreshRequested;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.testkit.LocalInfrastructure;
import io.tokencast.testkit.MutableClock;
import io.tokencast.testkit.signing.TestRefresherKey;
import io.tokencast.topics.TopicReader;
import io.tokencast.trust.signing.KeySetRole;
import io.tokencast.trust.signing.RecordVerifier;
import io.tokencast.trust.signing.VerificationKeys;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI against a real broker: what it prints, what it publishes, and its exit codes. */
class CliIT {

    // The broker refuses record timestamps far in the future, so the virtual "now" sits in the past.
    private static final Instant NOW =
            Instant.now().minus(Duration.ofDays(1)).truncatedTo(java.time.temporal.ChronoUnit.HOURS);
    private static final TokenKey KEY = TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, "wxc1100000000001");
    private static final String SECRET_TOKEN = "84_cli-it-token-value-never-printed";

    private static final String kafka = LocalInfrastructure.shared().kafkaBootstrapServers();
    private static final String tokens = LocalInfrastructure.uniqueName("cli-tokens");
    private static final String audit = LocalInfrastructure.uniqueName("cli-audit");
    private static final String admin = LocalInfrastructure.uniqueName("cli-admin");
    private final MutableClock clock = new MutableClock(NOW);

    @TempDir
    static Path keys;

    private static OperatorKeyFiles operator;

    @BeforeAll
    static void givenTopicsWithATokenAndItsHistory() throws Exception {
        operator = OperatorKeyFiles.generate(keys, "ops-it");
        try (Admin client = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
            client.createTopics(List.of(
                            new NewTopic(tokens, 1, (short) 1)
                                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, "compact")),
                            new NewTopic(audit, 1, (short) 1),
                            new NewTopic(admin, 1, (short) 1)))
                    .all()
                    .get();
        }
        try (KafkaProducer<String, byte[]> producer = producer()) {
            TokenRefreshed token = TokenRefreshed.of(
                    KEY,
                    4,
                    SECRET_TOKEN,
                    NOW.minusSeconds(600),
                    NOW.plusSeconds(6600),
                    NOW.plusSeconds(4800),
                    RefreshReason.SCHEDULED,
                    "refresher-1",
                    null);
            producer.send(new ProducerRecord<>(
                            tokens, KEY.asString(), TestRefresherKey.shared().sign(token)))
                    .get();
            RefreshAttempted attempt = new RefreshAttempted(
                    UUID.randomUUID(),
                    KEY.asString(),
                    AttemptOutcome.REFRESHED,
                    4L,
                    token.fingerprint(),
                    null,
                    RefreshReason.SCHEDULED,
                    null,
                    null,
                    null,
                    null,
                    120L,
                    "refresher-1",
                    NOW.minusSeconds(600),
                    null);
            producer.send(new ProducerRecord<>(
                            audit,
                            null,
                            NOW.minusSeconds(600).toEpochMilli(),
                            KEY.asString(),
                            EventCodec.json().encode(attempt)))
                    .get();
        }
    }

    @Test
    void tokensListsKeysWithVersionCountdownAndStateButNeverTheToken() {
        Run run = cli("tokens");

        assertThat(run.code).isEqualTo(ExitCode.OK);
        assertThat(run.out).contains(KEY.asString(), "1h 50m 00s", "FRESH", "refresher-1");
        assertThat(run.out).doesNotContain(SECRET_TOKEN);
    }

    @Test
    void tokensNeedsTheRefreshersKeysOrAnExplicitOptOut() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int code = TokencastCli.run(
                clock,
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                "tokens",
                "--bootstrap-servers",
                kafka,
                "--tokens-topic",
                tokens);

        assertThat(code).isEqualTo(ExitCode.ERROR);
        assertThat(err.toString()).contains("--refresher-keys", "--no-signature-verification");
    }

    @Test
    void tokensShowsNoTokenWhoseSignatureDoesNotVerify() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int code = TokencastCli.run(
                clock,
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                "tokens",
                "--bootstrap-servers",
                kafka,
                "--tokens-topic",
                tokens,
                "--refresher-keys",
                TestRefresherKey.generate("someone-else").publicJwkSetFile().toString());

        assertThat(code).isEqualTo(ExitCode.OK);
        assertThat(out.toString()).doesNotContain(KEY.asString()).contains("0 token(s)");
    }

    @Test
    void auditPrintsTheHistoryOfAKeyAsATable() {
        Run run = cli("audit", KEY.asString(), "--since", "1h");

        assertThat(run.code).isEqualTo(ExitCode.OK);
        assertThat(run.out).contains("TIME", "OUTCOME", KEY.asString(), "REFRESHED", "SCHEDULED", "1 attempt(s)");
    }

    @Test
    void refreshPublishesOneCommandSignedWithTheOperatorsKeyInItsName() {
        Run run = cli(
                "refresh",
                KEY.asString(),
                "--operator-key",
                operator.privateKey().toString());

        assertThat(run.code).as(run.toString()).isEqualTo(ExitCode.OK);
        RecordVerifier operators =
                new RecordVerifier(VerificationKeys.load(operator.operatorsSet(), KeySetRole.OPERATORS));
        List<ConsumerRecord<String, byte[]>> records = adminRecords();
        assertThat(records).anySatisfy(record -> {
            RefreshRequested command = EventCodec.json().decode(record.value(), RefreshRequested.class);
            assertThat(command.tokenKey()).isEqualTo(KEY);
            assertThat(command.reason()).isEqualTo(RefreshReason.MANUAL);
            assertThat(command.requestedBy()).isEqualTo("ops-it");
            assertThat(run.out).contains(command.commandId().toString());
            assertThat(operators.verify(record.value(), record.key()).signer()).isEqualTo("ops-it");
        });
    }

    @Test
    void refreshWithoutAUsableOperatorKeySaysHowToGetOneAndSendsNothing() throws Exception {
        int before = adminRecords().size();
        Path notAKey = Files.writeString(keys.resolve("not-a-key.json"), "{\"keys\":[]}");

        Run none = cli("refresh", KEY.asString());
        Run missing = cli(
                "refresh",
                KEY.asString(),
                "--operator-key",
                keys.resolve("nowhere.json").toString());
        Run broken = cli("refresh", KEY.asString(), "--operator-key", notAKey.toString());

        assertThat(none.code).isEqualTo(ExitCode.ERROR);
        assertThat(none.err).contains("--operator-key", "tokencast keys generate --operator");
        assertThat(missing.code).isEqualTo(ExitCode.ERROR);
        assertThat(missing.err).contains("nowhere.json does not exist");
        assertThat(broken.code).isEqualTo(ExitCode.ERROR);
        assertThat(broken.err).contains("not-a-key.json cannot sign");
        assertThat(adminRecords()).hasSize(before);
    }

    @Test
    void everyCommandTakesAKafkaClientPropertiesFileAndNamesWhatIsWrongWithIt() throws Exception {
        Path plain = Files.writeString(
                keys.resolve("client.properties"),
                "# as for kafka-console-consumer\nsecurity.protocol=PLAINTEXT\nclient.dns.lookup=use_all_dns_ips\n");
        Path hijack = Files.writeString(
                keys.resolve("hijack.properties"), "bootstrap.servers=elsewhere:9092\nsasl.jaas.config=hunter2\n");

        Run tokens = cli("tokens", "--kafka-config", plain.toString());
        Run audit = cli("audit", KEY.asString(), "--since", "1h", "--kafka-config", plain.toString());
        Run refresh = cli(
                "refresh",
                KEY.asString(),
                "--operator-key",
                operator.privateKey().toString(),
                "--kafka-config",
                plain.toString());
        Run refused = cli("tokens", "--kafka-config", hijack.toString());
        Run missing = cli(
                "tokens", "--kafka-config", keys.resolve("absent.properties").toString());

        assertThat(tokens.code).as(tokens.toString()).isEqualTo(ExitCode.OK);
        assertThat(tokens.out).contains(KEY.asString());
        assertThat(audit.code).as(audit.toString()).isEqualTo(ExitCode.OK);
        assertThat(refresh.code).as(refresh.toString()).isEqualTo(ExitCode.OK);
        assertThat(refused.code).isEqualTo(ExitCode.ERROR);
        assertThat(refused.err).contains("sets bootstrap.servers").doesNotContain("hunter2");
        assertThat(missing.code).isEqualTo(ExitCode.ERROR);
        assertThat(missing.err).contains("absent.properties is not a readable file");
    }

    @Test
    void refreshWaitTimesOutWithItsOwnExitCodeWhenNoRefresherAnswers() {
        Run run = cli(
                "refresh",
                KEY.asString(),
                "--wait",
                "2s",
                "--operator-key",
                operator.privateKey().toString());

        assertThat(run.code).isEqualTo(ExitCode.TIMEOUT);
        assertThat(run.out).contains("no outcome");
    }

    @Test
    void usageErrorsExitWithTwoAndSayWhatIsWrong() {
        assertThat(cli("refresh").code).isEqualTo(ExitCode.USAGE);
        assertThat(cli("audit", "--since", "soon").code).isEqualTo(ExitCode.USAGE);
        Run badKey = cli("refresh", "not-a-key");
        assertThat(badKey.code).isEqualTo(ExitCode.ERROR);
        assertThat(badKey.err).contains("not of the form <kind>/<account>");
    }

    private Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] connection = {
            "--bootstrap-servers",
            kafka,
            "--tokens-topic",
            tokens,
            "--audit-topic",
            audit,
            "--admin-topic",
            admin,
            "--refresher-keys",
            TestRefresherKey.shared().publicJwkSetFile().toString()
        };
        String[] full = new String[args.length + connection.length];
        System.arraycopy(args, 0, full, 0, args.length);
        if (args.length == 0 || args[0].startsWith("-")) {
            full = args;
        } else {
            System.arraycopy(connection, 0, full, args.length, connection.length);
        }
        int code = TokencastCli.run(clock, new PrintWriter(out, true), new PrintWriter(err, true), full);
        return new Run(code, out.toString(), err.toString());
    }

    private record Run(int code, String out, String err) {}

    private static List<ConsumerRecord<String, byte[]>> adminRecords() {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        new TopicReader(() -> new KafkaConsumer<String, byte[]>(config), admin, Duration.ofSeconds(30))
                .readToEnd(records::add, IllegalStateException::new);
        return records;
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }
}
