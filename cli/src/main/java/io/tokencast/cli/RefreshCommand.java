package io.tokencast.cli;

import io.tokencast.consumer.Token;
import io.tokencast.consumer.TokenChangeListener;
import io.tokencast.consumer.TokenView;
import io.tokencast.schema.AttemptOutcome;
import io.tokencast.schema.RefreshAttempted;
import io.tokencast.schema.RefreshReason;
import io.tokencast.schema.RefreshRequested;
import io.tokencast.schema.TokenKey;
import io.tokencast.topics.CommandPublisher;
import io.tokencast.trust.signing.CommandSigner;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code tokencast refresh <tokenKey>}: publishes a {@link RefreshRequested} on the admin topic, signed with the
 * operator's key and credited to its name, and, with {@code --wait}, waits for the new version on the tokens
 * topic or for the audit record saying why not.
 */
@Command(name = "refresh", mixinStandardHelpOptions = true, description = "Ask the refresher to refresh a token now.")
final class RefreshCommand implements Callable<Integer> {

    @ParentCommand
    TokencastCli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    Connection connection;

    @Mixin
    OperatorKeyOptions operatorKey;

    @Parameters(paramLabel = "<tokenKey>", description = "e.g. wechat-access-token/wx0123456789abcdef")
    String tokenKey;

    @Option(
            names = "--reason",
            defaultValue = "MANUAL",
            description = "MANUAL or INVALID_REPORTED (default ${DEFAULT-VALUE}).")
    RefreshReason reason;

    @Option(names = "--if-fingerprint", description = "Refresh only if the current token has this fingerprint.")
    String ifFingerprint;

    @Option(names = "--force", description = "Stable tokens: WeChat's force mode (20 per day). Only after a leak.")
    boolean force;

    @Option(
            names = "--on-behalf-of",
            paramLabel = "USER",
            description = "Whom you act for (e.g. the ticket's requester); signed and shown in the audit.")
    String onBehalfOf;

    @Option(names = "--wait", converter = Durations.class, description = "Wait this long for the outcome, e.g. 30s.")
    Duration wait;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        TokenKey key = TokenKey.parse(tokenKey);
        CommandSigner signer = operatorKey.signer();
        RefreshRequested command = new RefreshRequested(
                UUID.randomUUID(),
                key,
                ifFingerprint,
                force,
                reason,
                signer.operatorName(),
                cli.clock.instant(),
                onBehalfOf);
        byte[] signed = signer.sign(command);
        if (wait == null) {
            publish(command, signed);
            out.println("requested refresh of " + key + " command=" + command.commandId());
            return ExitCode.OK;
        }
        try (TokenView view =
                connection.tokenView("tokencast-cli-refresh", cli.clock).start()) {
            view.awaitReady(connection.connectTimeout);
            long before = view.find(key).map(Token::version).orElse(0L);
            CompletableFuture<Token> next = new CompletableFuture<>();
            TokenChangeListener listener = token -> {
                if (token.key().equals(key) && token.version() > before) {
                    next.complete(token);
                }
            };
            view.addListener(listener);
            view.find(key).filter(token -> token.version() > before).ifPresent(next::complete);
            publish(command, signed);
            out.println("requested refresh of " + key + " command=" + command.commandId() + "; waiting up to "
                    + Durations.countdown(wait));
            return awaitOutcome(out, key, command, next);
        }
    }

    private int awaitOutcome(PrintWriter out, TokenKey key, RefreshRequested command, CompletableFuture<Token> next)
            throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                Token token = next.get(1, TimeUnit.SECONDS);
                out.println("refreshed " + key + " to version " + token.version() + " fingerprint="
                        + token.fingerprint() + " expiresAt=" + token.expiresAt());
                return ExitCode.OK;
            } catch (TimeoutException stillWaiting) {
                Optional<RefreshAttempted> verdict = auditedOutcome(key, command);
                if (verdict.isPresent()) {
                    return report(out, verdict.get());
                }
            }
        }
        Optional<RefreshAttempted> refused = refusedUnverified(key, command);
        if (refused.isPresent()) {
            out.println("no outcome for command " + command.commandId() + " within " + Durations.countdown(wait)
                    + "; the refresher refused a record claiming this id as "
                    + refused.get().errorCode() + " ("
                    + refused.get().errorMessage() + "). Is the public half of your operator key in the"
                    + " refreshers' tokencast.admin.operator-keys-file, and this machine's clock right?");
            return ExitCode.REJECTED;
        }
        out.println("no outcome for command " + command.commandId() + " within " + Durations.countdown(wait)
                + "; is a refresher running and reading " + connection.adminTopic + "?");
        return ExitCode.TIMEOUT;
    }

    /**
     * A refusal of a record claiming our command's id that the refresher could not verify: it answers for no
     * command id (anyone may write such a record), so it only explains a missing outcome.
     */
    private Optional<RefreshAttempted> refusedUnverified(TokenKey key, RefreshRequested command) {
        Instant since = command.requestedAt().minus(Duration.ofMinutes(1));
        String claimed = "commandId=\"" + command.commandId() + "\"";
        return connection
                .auditHistory()
                .forKey(key.asString(), since, cli.clock.instant().plus(Duration.ofMinutes(1)))
                .stream()
                .filter(attempt -> attempt.commandId() == null && attempt.errorMessage() != null)
                .filter(attempt -> attempt.errorMessage().contains(claimed))
                .findFirst();
    }

    /** The audit record of our command, unless it says REFRESHED (the tokens topic tells that story). */
    private Optional<RefreshAttempted> auditedOutcome(TokenKey key, RefreshRequested command) {
        Instant since = command.requestedAt().minus(Duration.ofMinutes(1));
        return connection
                .auditHistory()
                .forKey(key.asString(), since, cli.clock.instant().plus(Duration.ofMinutes(1)))
                .stream()
                .filter(attempt -> command.commandId().equals(attempt.commandId()))
                .filter(attempt -> attempt.outcome() != AttemptOutcome.REFRESHED)
                .findFirst();
    }

    private static int report(PrintWriter out, RefreshAttempted attempt) {
        String error = attempt.errorCode() == null
                ? ""
                : " error=" + attempt.errorCode()
                        + (attempt.errorMessage() == null ? "" : " (" + attempt.errorMessage() + ")");
        out.println(attempt.outcome().name().toLowerCase() + " " + attempt.tokenKey() + " version=" + attempt.version()
                + error);
        return switch (attempt.outcome()) {
            case COALESCED, SKIPPED, REFRESHED -> ExitCode.OK;
            case REJECTED, FAILED -> ExitCode.REJECTED;
        };
    }

    private void publish(RefreshRequested command, byte[] signed) throws Exception {
        try (CommandPublisher admin = connection.adminPublisher()) {
            admin.publishAndWait(command, signed, connection.connectTimeout);
        }
    }
}
