package io.tokencast.cli;

import java.io.PrintWriter;
import java.time.Clock;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tokencast} command: refresh, audit, tokens. */
@Command(
        name = "tokencast",
        mixinStandardHelpOptions = true,
        version = "tokencast 0.1.0",
        description = "Ask tokencast for a refresh, read the refresh history, list the tokens.",
        subcommands = {RefreshCommand.class, AuditCommand.class, TokensCommand.class, KeysCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done",
            "1:Kafka unreachable or another error",
            "2:usage error",
            "3:refresh rejected or failed",
            "4:no answer within --wait"
        })
public final class TokencastCli implements Runnable {

    final Clock clock;

    TokencastCli(Clock clock) {
        this.clock = clock;
    }

    public static void main(String[] args) {
        System.exit(run(Clock.systemUTC(), new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs one command line; returns its exit code. */
    static int run(Clock clock, PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = new CommandLine(new TokencastCli(clock));
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("error: " + e.getMessage());
            return ExitCode.ERROR;
        });
        return commandLine.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                new CommandLine(this), "name a command: refresh, audit, tokens or keys (see --help)");
    }
}
