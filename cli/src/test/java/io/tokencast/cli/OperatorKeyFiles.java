package io.tokencast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;

/**
 * An operator key made as an operator makes one, with {@code tokencast keys generate --operator}: the private file
 * the CLI signs with, and the operators' public set a refresher trusts.
 */
record OperatorKeyFiles(String name, Path privateKey, Path operatorsSet) {

    static OperatorKeyFiles generate(Path dir, String name) {
        Path set = dir.resolve("operators.jwks.json");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = TokencastCli.run(
                Clock.systemUTC(),
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                "keys",
                "generate",
                "--operator",
                "--name",
                name,
                "--dir",
                dir.toString(),
                "--add-to",
                set.toString());
        assertThat(code).as(out + "\n" + err).isEqualTo(ExitCode.OK);
        return new OperatorKeyFiles(name, dir.resolve(name + ".private.jwks.json"), set);
    }

    /** The refresher property that trusts this operator (and any other key in the set). */
    String refresherProperty() {
        return "tokencast.admin.operator-keys-file=" + operatorsSet;
    }
}
