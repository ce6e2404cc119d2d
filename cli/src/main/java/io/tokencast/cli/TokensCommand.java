package io.tokencast.cli;

import io.tokencast.consumer.TokenView;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code tokencast tokens}: every key with its version, expiry countdown and state — never the token. */
@Command(
        name = "tokens",
        mixinStandardHelpOptions = true,
        description = "List the current tokens (never their values).")
final class TokensCommand implements Callable<Integer> {

    @ParentCommand
    TokencastCli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    Connection connection;

    @Override
    public Integer call() {
        try (TokenView view =
                connection.tokenView("tokencast-cli-tokens", cli.clock).start()) {
            view.awaitReady(connection.connectTimeout);
            Instant now = cli.clock.instant();
            Map<TokenKey, TokenRefreshed> snapshot = new TreeMap<>(view.snapshot());
            Table table = new Table("KEY", "VERSION", "EXPIRES IN", "STATE", "FINGERPRINT", "REFRESHER");
            snapshot.forEach((key, event) -> table.row(
                    key,
                    event.version(),
                    Durations.countdown(Duration.between(now, event.expiresAt())),
                    view.state(key),
                    event.fingerprint(),
                    event.refresher()));
            PrintWriter out = spec.commandLine().getOut();
            table.print(out);
            out.println(snapshot.size() + " token(s)");
        }
        return ExitCode.OK;
    }
}
