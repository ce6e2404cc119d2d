package io.tokencast.cli;

import io.tokencast.consumer.TokenView;
import io.tokencast.schema.AttemptOutcome;
import io.tokencast.schema.RefreshAttempted;
import io.tokencast.schema.RefreshRequested;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.topics.CommandPublisher;
import io.tokencast.trust.encryption.RecordEncryption;
import io.tokencast.trust.records.RecordInterpreter;
import io.tokencast.trust.signing.CommandSigner;
import io.tokencast.trust.signing.RecordVerifier;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code tokencast keys rotate}: asks the refresher's leader, in a signed operator command per key, to re-publish
 * every current token, and the credentials that go with it, under the newest encryption key of its scope and the
 * refresher's signing key (a {@code REKEYED} version: same token, same fingerprint), then reports which kids the
 * records the tokens and credentials topics retain still use, so an old kid is retired only when nothing needs it
 * (docs/operations.md §3.3, and for encryption docs/operations.md §3.4).
 */
@Command(
        name = "rotate",
        mixinStandardHelpOptions = true,
        description = "Re-publish every current token and credential under the newest encryption and signing keys,"
                + " then report which kids the retained records use.")
final class KeysRotateCommand implements Callable<Integer> {

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

    @Option(
            names = "--credentials-topic",
            defaultValue = "tokencast.credentials",
            description = "The open platform's credentials topic, reported with the tokens topic (default"
                    + " ${DEFAULT-VALUE}).")
    String credentialsTopic;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Instant now = keys.cli.clock.instant();
        CommandSigner signer = operatorKey.signer();
        try (TokenView view =
                connection.tokenView("tokencast-cli-keys", keys.cli.clock).start()) {
            view.awaitReady(connection.connectTimeout);
            Map<TokenKey, TokenRefreshed> before = new TreeMap<>(view.snapshot());
            Map<TokenKey, RefreshRequested> commands = send(signer, before.keySet(), now);
            out.println("asked to re-key " + commands.size() + " token(s) on " + connection.adminTopic);
            Map<TokenKey, String> answers = awaitAnswers(view, before, commands);
            // A key the refresher was busy with (its lock held by a refresh or a recovery) was not re-keyed:
            // ask again, a few times, rather than leave the operator to find it in the output.
            for (int round = 1; round <= LOCKED_RETRIES && answers.containsValue(BUSY); round++) {
                List<TokenKey> busy = answers.entrySet().stream()
                        .filter(answer -> BUSY.equals(answer.getValue()))
                        .map(Map.Entry::getKey)
                        .toList();
                Map<TokenKey, RefreshRequested> again = send(signer, busy, keys.cli.clock.instant());
                commands.putAll(again);
                busy.forEach(answers::remove);
                out.println("asked again for " + again.size() + " token(s) the refresher was busy with");
                answers.putAll(awaitAnswers(view, before, again));
            }
            answers.forEach((key, answer) -> out.println("  " + key + " " + answer));
            printRetainedKids(out);
            return answers.size() == commands.size() ? ExitCode.OK : ExitCode.TIMEOUT;
        }
    }

    /** One signed {@code REKEYED} command per key on the admin topic, each acknowledged by the broker. */
    private Map<TokenKey, RefreshRequested> send(CommandSigner signer, Iterable<TokenKey> tokenKeys, Instant at)
            throws Exception {
        Map<TokenKey, RefreshRequested> sent = new LinkedHashMap<>();
        try (CommandPublisher admin = connection.adminPublisher()) {
            for (TokenKey key : tokenKeys) {
                RefreshRequested command = RefreshRequested.rekey(key, signer.operatorName(), at);
                admin.publishAndWait(command, signer.sign(command), connection.connectTimeout);
                sent.put(key, command);
            }
        }
        return sent;
    }

    /**
     * The kids of every record the tokens and credentials topics retain: a key's current record is the one Redis
     * holds too (the refresher writes the same bytes to both), older ones wait for compaction.
     */
    private void printRetainedKids(PrintWriter out) {
        RetainedKids retained =
                new RetainedKids(connection.consumerProperties("tokencast-cli-kids"), connection.connectTimeout);
        RecordVerifier verifier = connection.refresherVerifier();
        Map<String, RecordInterpreter<?, ?>> topics = new LinkedHashMap<>();
        topics.put(connection.tokensTopic, RecordInterpreter.tokens(verifier));
        topics.put(credentialsTopic, RecordInterpreter.credentials(verifier));
        Table table = new Table("TOPIC", "SIGNED BY", "ENCRYPTED WITH", "CURRENT", "OLDER");
        topics.forEach((topic, interpreter) -> retained.scan(topic, interpreter)
                .forEach((usage, count) ->
                        table.row(topic, usage.signedBy(), usage.encryptedWith(), count.current(), count.older())));
        out.println("kids the retained records use (CURRENT: each key's last record, as in Redis; OLDER: until"
                + " compaction):");
        table.print(out);
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
