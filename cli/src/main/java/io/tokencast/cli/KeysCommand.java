package io.tokencast.cli;

import io.tokencast.consumer.TokenView;
import io.tokencast.schema.AttemptOutcome;
import io.tokencast.schema.RefreshAttempted;
import io.tokencast.schema.RefreshRequested;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.trust.encryption.RecordEncryption;
import io.tokencast.trust.signing.CommandSigner;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code tokencast keys}: key operations. {@code generate} writes signing keys (the refresher's, an operator's)
 * and encryption keyrings; {@code rotate} asks the refresher's leader, in a signed operator command per key, to
 * re-publish every current token under the newest key of its scope (a {@code REKEYED} version: same token, same
 * fingerprint) and then reports which kids the tokens topic's current records still use, so an old kid is
 * retired only when nothing needs it (docs/security.md §5).
 */
@Command(
        name = "keys",
        mixinStandardHelpOptions = true,
        description = "Generate keys; re-publish tokens under the newest encryption key.",
        subcommands = {KeysGenerateCommand.class, KeysCommand.Rotate.class})
final class KeysCommand implements Runnable {

    @ParentCommand
    TokencastCli cli;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code tokencast keys rotate}. */
    @Command(
            name = "rotate",
            mixinStandardHelpOptions = true,
            description = "Re-publish every current token under the newest encryption key, then report kid usage.")
    static final class Rotate implements Callable<Integer> {

        @ParentCommand
        KeysCommand keys;

        @Spec
        CommandSpec spec;

        @Mixin
        Connection connection;

        @Mixin
        OperatorKeyOptions operatorKey;

        @Option(
                names = "--wait",
                defaultValue = "60s",
                converter = Durations.class,
                description = "How long to wait for the refresher to answer every key (default ${DEFAULT-VALUE}).")
        Duration wait;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            Instant now = keys.cli.clock.instant();
            CommandSigner signer = operatorKey.signer();
            try (TokenView view =
                    connection.tokenView("tokencast-cli-keys", keys.cli.clock).start()) {
                view.awaitReady(connection.connectTimeout);
                Map<TokenKey, TokenRefreshed> before = new TreeMap<>(view.snapshot());
                Map<TokenKey, RefreshRequested> commands = new LinkedHashMap<>();
                try (KafkaProducer<String, byte[]> producer = connection.adminProducer()) {
                    for (TokenKey key : before.keySet()) {
                        RefreshRequested command = RefreshRequested.rekey(key, signer.operatorName(), now);
                        producer.send(new ProducerRecord<>(connection.adminTopic, key.asString(), signer.sign(command)))
                                .get(connection.connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
                        commands.put(key, command);
                    }
                }
                out.println("asked to re-key " + commands.size() + " token(s) on " + connection.adminTopic);
                Map<TokenKey, String> answers = awaitAnswers(view, before, commands);
                // A key the refresher was busy with (its lock held by a refresh or a recovery) was not re-keyed:
                // ask again, a few times, rather than leave the operator to find it in the output.
                for (int round = 1; round <= LOCKED_RETRIES && answers.containsValue(BUSY); round++) {
                    Map<TokenKey, RefreshRequested> again = new LinkedHashMap<>();
                    try (KafkaProducer<String, byte[]> producer = connection.adminProducer()) {
                        for (Map.Entry<TokenKey, String> answer : answers.entrySet()) {
                            if (BUSY.equals(answer.getValue())) {
                                TokenKey key = answer.getKey();
                                RefreshRequested command =
                                        RefreshRequested.rekey(key, signer.operatorName(), keys.cli.clock.instant());
                                producer.send(new ProducerRecord<>(
                                                connection.adminTopic, key.asString(), signer.sign(command)))
                                        .get(connection.connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
                                again.put(key, command);
                                commands.put(key, command);
                            }
                        }
                    }
                    again.keySet().forEach(answers::remove);
                    out.println("asked again for " + again.size() + " token(s) the refresher was busy with");
                    answers.putAll(awaitAnswers(view, before, again));
                }
                answers.forEach((key, answer) -> out.println("  " + key + " " + answer));
                Map<String, Integer> kids = new TreeMap<>();
                view.snapshot()
                        .values()
                        .forEach(event ->
                                kids.merge(RecordEncryption.kid(event).orElse("(plaintext)"), 1, Integer::sum));
                Table table = new Table("KID", "CURRENT TOKENS");
                kids.forEach(table::row);
                out.println("kids the current records of " + connection.tokensTopic + " use:");
                table.print(out);
                return answers.size() == commands.size() ? ExitCode.OK : ExitCode.TIMEOUT;
            }
        }

        /** The audit's answer for a command that met the key's lock held by another refresh. */
        private static final String BUSY = "coalesced LOCKED";

        private static final int LOCKED_RETRIES = 3;

        /** Per key: the new version, or the audit's answer (already current, no token, refused). */
        private Map<TokenKey, String> awaitAnswers(
                TokenView view, Map<TokenKey, TokenRefreshed> before, Map<TokenKey, RefreshRequested> commands)
                throws InterruptedException {
            Map<TokenKey, String> answers = new TreeMap<>();
            long deadline = System.nanoTime() + wait.toNanos();
            while (answers.size() < commands.size() && System.nanoTime() < deadline) {
                Map<TokenKey, TokenRefreshed> now = view.snapshot();
                for (Map.Entry<TokenKey, RefreshRequested> entry : commands.entrySet()) {
                    TokenKey key = entry.getKey();
                    TokenRefreshed current = now.get(key);
                    if (answers.containsKey(key) || current == null) {
                        continue;
                    }
                    if (entry.getValue().commandId().equals(current.causationId())) {
                        answers.put(
                                key,
                                "rekeyed to v" + current.version() + " kid="
                                        + RecordEncryption.kid(current).orElse("(plaintext)"));
                    }
                }
                if (answers.size() < commands.size()) {
                    auditedAnswers(commands, answers);
                    Thread.sleep(500); // polling Kafka for answers; no event to wait on across processes
                }
            }
            return answers;
        }

        private void auditedAnswers(Map<TokenKey, RefreshRequested> commands, Map<TokenKey, String> answers) {
            Instant from = keys.cli.clock.instant().minus(Duration.ofMinutes(5));
            Map<UUID, TokenKey> pending = new LinkedHashMap<>();
            commands.forEach((key, command) -> {
                if (!answers.containsKey(key)) {
                    pending.put(command.commandId(), key);
                }
            });
            for (RefreshAttempted attempt :
                    connection.auditHistory().all(from, keys.cli.clock.instant().plus(Duration.ofMinutes(1)))) {
                TokenKey key = attempt.commandId() == null ? null : pending.get(attempt.commandId());
                if (key != null && attempt.outcome() != AttemptOutcome.REFRESHED) {
                    answers.put(key, attempt.outcome().name().toLowerCase() + " " + attempt.errorCode());
                }
            }
        }
    }
}
