package io.tokencast.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code tokencast keys}: key operations. {@code generate} writes signing keys (the refresher's, an operator's)
 * and encryption keyrings; {@code rotate} ({@link KeysRotateCommand}) has the refresher's leader re-publish every
 * current token and credential under the newest keys (docs/security.md §4, and for encryption docs/security.md §5).
 */
@Command(
        name = "keys",
        mixinStandardHelpOptions = true,
        description = "Generate keys; re-publish tokens and credentials under the newest keys.",
        subcommands = {KeysGenerateCommand.class, KeysRotateCommand.class})
final class KeysCommand implements Runnable {

    @ParentCommand
    TokencastCli cli;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
