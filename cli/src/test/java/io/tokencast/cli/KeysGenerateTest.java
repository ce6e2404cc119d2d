package io.tokencast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokencast.schema.RefreshRequested;
import io.tokencast.schema.TokenKey;
import io.tokencast.trust.encryption.EncryptionKeyring;
import io.tokencast.trust.signing.CommandSigner;
import io.tokencast.trust.signing.KeySetRole;
import io.tokencast.trust.signing.RecordVerifier;
import io.tokencast.trust.signing.SigningKey;
import io.tokencast.trust.signing.VerificationKeys;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tokencast keys generate}: what it writes, with which permissions, and what it refuses. */
class KeysGenerateTest {

    private static final Instant NOW = Instant.parse("2026-12-07T14:00:00Z");

    @TempDir
    Path dir;

    @Test
    void anOperatorKeyIsAPrivateFileReadableByItsOwnerOnlyAndAPublicOneBesideIt() throws Exception {
        Run run = cli("keys", "generate", "--operator", "--name", "anna", "--kid", "anna-1", "--dir", dir.toString());

        assertThat(run.code).as(run.toString()).isEqualTo(ExitCode.OK);
        Path privateFile = dir.resolve("anna.private.jwks.json");
        Path publicFile = dir.resolve("anna.public.jwks.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(privateFile)))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(publicFile)))
                .isEqualTo("rw-r--r--");
        SigningKey key = SigningKey.load(privateFile, KeySetRole.OPERATORS, null);
        assertThat(key.name()).isEqualTo("anna");
        assertThat(key.kid()).isEqualTo("anna-1");
        assertThat(key.algorithm()).isEqualTo("EdDSA");
        assertThat(Files.readString(publicFile)).doesNotContain("\"d\"");
        assertThat(run.out).contains("kid=anna-1", privateFile.toString(), publicFile.toString());
        assertThat(run.out).doesNotContain(Files.readString(privateFile));

        // what the private file signs, the public file verifies, credited to the name
        TokenKey token = TokenKey.parse("wechat-access-token/wx0123456789abcdef");
        byte[] signed = new CommandSigner(key).sign(RefreshRequested.manual(token, false, "anna", NOW));
        assertThat(new RecordVerifier(VerificationKeys.load(publicFile, KeySetRole.OPERATORS))
                        .verify(signed, token.asString())
                        .signer())
                .isEqualTo("anna");
    }

    @Test
    void neverOverwritesAKey() throws Exception {
        assertThat(cli("keys", "generate", "--operator", "--name", "anna", "--dir", dir.toString()).code)
                .isEqualTo(ExitCode.OK);
        String before = Files.readString(dir.resolve("anna.private.jwks.json"));

        Run again = cli("keys", "generate", "--operator", "--name", "anna", "--dir", dir.toString());

        assertThat(again.code).isEqualTo(ExitCode.ERROR);
        assertThat(again.err).contains("anna.private.jwks.json exists", "never overwrites");
        assertThat(Files.readString(dir.resolve("anna.private.jwks.json"))).isEqualTo(before);
    }

    @Test
    void operatorKeysGatherInOneSetTheRefreshersTrust() throws Exception {
        Path set = dir.resolve("operators.jwks.json");

        for (String name : new String[] {"anna", "console", "ci-bot"}) {
            Run run = cli(
                    "keys",
                    "generate",
                    "--operator",
                    "--name",
                    name,
                    "--alg",
                    name.equals("ci-bot") ? "ES256" : "EdDSA",
                    "--dir",
                    dir.toString(),
                    "--add-to",
                    set.toString());
            assertThat(run.code).as(run.toString()).isEqualTo(ExitCode.OK);
        }

        VerificationKeys operators = VerificationKeys.load(set, KeySetRole.OPERATORS);
        assertThat(operators.kids()).hasSize(3).allMatch(kid -> kid.matches("(anna|console|ci-bot)-20261207-.{4}"));
        assertThat(Files.readString(set)).doesNotContain("\"d\"");
        assertThat(SigningKey.load(dir.resolve("ci-bot.private.jwks.json"), KeySetRole.OPERATORS, null)
                        .algorithm())
                .isEqualTo("ES256");
    }

    @Test
    void aRefresherKeyAndAnEncryptionKeyring() throws Exception {
        Run refresher = cli("keys", "generate", "--refresher", "--kid", "refresher-1", "--dir", dir.toString());
        Run keyring = cli("keys", "generate", "--encryption", "--kid", "enc-1", "--dir", dir.toString());

        assertThat(refresher.code).as(refresher.toString()).isEqualTo(ExitCode.OK);
        assertThat(SigningKey.load(dir.resolve("refresher-1.private.jwks.json"), KeySetRole.REFRESHER, null)
                        .kid())
                .isEqualTo("refresher-1");
        assertThat(VerificationKeys.load(dir.resolve("refresher-1.public.jwks.json"), KeySetRole.REFRESHER)
                        .kids())
                .containsExactly("refresher-1");
        assertThat(keyring.code).as(keyring.toString()).isEqualTo(ExitCode.OK);
        Path keyringFile = dir.resolve("enc-1.keyring.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyringFile)))
                .isEqualTo("rw-------");
        assertThat(EncryptionKeyring.parse(Files.readString(keyringFile)).writeKid("wechat-access-token/wx1"))
                .contains("enc-1");
    }

    @Test
    void usageErrorsSayWhatIsMissing() {
        Run noKind = cli("keys", "generate", "--dir", dir.toString());
        Run noName = cli("keys", "generate", "--operator", "--dir", dir.toString());
        Run badAlg = cli("keys", "generate", "--refresher", "--alg", "RS256", "--dir", dir.toString());
        Run badName =
                cli("keys", "generate", "--operator", "--name", "../../etc", "--kid", "x/y", "--dir", dir.toString());

        assertThat(noKind.code).isEqualTo(ExitCode.USAGE);
        assertThat(noKind.err).contains("--operator", "--refresher", "--encryption");
        assertThat(noName.code).isEqualTo(ExitCode.USAGE);
        assertThat(noName.err).contains("--operator needs --name");
        assertThat(badAlg.code).isEqualTo(ExitCode.USAGE);
        assertThat(badAlg.err).contains("--alg must be EdDSA or ES256");
        assertThat(badName.code).isEqualTo(ExitCode.USAGE);
        assertThat(badName.err).contains("cannot name a file");
    }

    private Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = TokencastCli.run(
                Clock.fixed(NOW, ZoneOffset.UTC), new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    private record Run(int code, String out, String err) {}
}
