package io.tokencast.cli;

import io.tokencast.schema.RefreshAttempted;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code tokencast audit [<tokenKey>] [--since 24h] [--until …]}: the refresh history as a table. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Print the refresh history.")
final class AuditCommand implements Callable<Integer> {

    @ParentCommand
    TokencastCli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    Connection connection;

    @Parameters(arity = "0..1", paramLabel = "<tokenKey>", description = "Only this key, e.g. wechat-access-token/wx…")
    String tokenKey;

    @Option(
            names = "--since",
            defaultValue = "24h",
            converter = Durations.TimePointConverter.class,
            description = "Start: an instant or a duration ago (default ${DEFAULT-VALUE}).")
    Durations.TimePoint since;

    @Option(
            names = "--until",
            converter = Durations.TimePointConverter.class,
            description = "End: an instant or a duration ago (default now).")
    Durations.TimePoint until;

    @Override
    public Integer call() {
        Instant now = cli.clock.instant();
        Instant from = since.at(now);
        Instant to = until == null ? now : until.at(now);
        List<RefreshAttempted> attempts = tokenKey == null
                ? connection.auditHistory().all(from, to)
                : connection.auditHistory().forKey(tokenKey, from, to);
        PrintWriter out = spec.commandLine().getOut();
        Table table = new Table("TIME", "KEY", "OUTCOME", "VERSION", "FINGERPRINT", "REASON", "REQUESTED BY", "ERROR");
        for (RefreshAttempted attempt : attempts) {
            table.row(
                    attempt.at(),
                    attempt.tokenKey(),
                    attempt.outcome(),
                    attempt.version(),
                    attempt.fingerprint(),
                    attempt.reason(),
                    requestedBy(attempt),
                    error(attempt));
        }
        table.print(out);
        out.println(attempts.size() + " attempt(s) from " + from + " to " + to);
        return ExitCode.OK;
    }

    /** The verified operator (or a report's marked hint), and whom a signed command was sent for. */
    private static String requestedBy(RefreshAttempted attempt) {
        return attempt.onBehalfOf() == null
                ? attempt.requestedBy()
                : attempt.requestedBy() + " for " + attempt.onBehalfOf();
    }

    private static String error(RefreshAttempted attempt) {
        if (attempt.errorCode() == null) {
            return null;
        }
        return attempt.errorMessage() == null
                ? attempt.errorCode()
                : attempt.errorCode() + " " + attempt.errorMessage();
    }
}
