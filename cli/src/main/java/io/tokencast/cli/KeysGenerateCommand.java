package io.tokencast.cli;

import io.tokencast.trust.encryption.EncryptionKeyring;
import io.tokencast.trust.signing.KeySetRole;
import io.tokencast.trust.signing.SigningKey;
import io.tokencast.trust.signing.VerificationKeys;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code tokencast keys generate}: a new key as JWK set files (docs/security.md). A signing key (the refresher's,
 * or an operator's with the {@code name} the audit credits) gives a private file, readable by its owner only
 * (0600), and its public half beside it; an encryption keyring is one secret file. Existing files are never
 * overwritten.
 */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = "Write a new signing key (refresher or operator) or encryption keyring as JWK set files.")
final class KeysGenerateCommand implements Callable<Integer> {

    private static final Pattern FILE_SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,99}");
    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

    @ParentCommand
    KeysCommand keys;

    @Spec
    CommandSpec spec;

    @ArgGroup(multiplicity = "1")
    Kind kind;

    static final class Kind {
        @Option(
                names = "--operator",
                required = true,
                description = "An operator key: signs commands (refresh, keys rotate, a console's); needs --name.")
        boolean operator;

        @Option(
                names = "--refresher",
                required = true,
                description = "A refresher signing key: signs tokens, credentials and audit records.")
        boolean refresher;

        @Option(
                names = "--encryption",
                required = true,
                description = "An encryption keyring: one 256-bit key whose scope is every token key (*).")
        boolean encryption;
    }

    @Option(
            names = "--name",
            paramLabel = "NAME",
            description = "Who the audit credits for commands signed with an operator key, e.g. anna or console.")
    String name;

    @Option(names = "--kid", paramLabel = "KID", description = "The key id (default: <name or kind>-<date>-<random>).")
    String kid;

    @Option(
            names = "--alg",
            defaultValue = "EdDSA",
            paramLabel = "ALG",
            description = "Signing algorithm: EdDSA (Ed25519) or ES256 (P-256); default ${DEFAULT-VALUE}.")
    String alg;

    @Option(
            names = "--dir",
            defaultValue = ".",
            paramLabel = "DIR",
            description = "Where to write the files (default: the current directory).")
    Path dir;

    @Option(
            names = "--add-to",
            paramLabel = "FILE",
            description = "Also add the public half to this JWK set (created if missing), e.g. the file the"
                    + " refreshers' tokencast.admin.operator-keys-file names.")
    Path addTo;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (kind.operator && (name == null || name.isBlank())) {
            throw new ParameterException(spec.commandLine(), "--operator needs --name: the audit credits its name");
        }
        if (kind.encryption && name != null) {
            throw new ParameterException(spec.commandLine(), "--name belongs to signing keys, not keyrings");
        }
        if (kind.encryption && addTo != null) {
            throw new ParameterException(
                    spec.commandLine(), "--add-to is for public signing keys; a keyring is secret");
        }
        String keyId = kid != null ? kid : defaultKid();
        if (kind.encryption) {
            Path file = dir.resolve(fileBase(keyId) + ".keyring.json");
            KeyFiles.writeNew(List.of(new KeyFiles.Content(
                    file, EncryptionKeyring.generate(keyId, List.of("*")).toJson(), true)));
            out.println("wrote encryption keyring kid=" + keyId + " to " + file + " (0600, secret)");
            out.println(
                    "next: point tokencast.encryption.keyring of the refreshers (and the consumers' keyrings) at it");
            return ExitCode.OK;
        }
        KeySetRole role = kind.operator ? KeySetRole.OPERATORS : KeySetRole.REFRESHER;
        SigningKey key = generate(keyId, role);
        String base = fileBase(kind.operator && FILE_SAFE.matcher(name).matches() ? name : keyId);
        Path privateFile = dir.resolve(base + ".private.jwks.json");
        Path publicFile = dir.resolve(base + ".public.jwks.json");
        KeyFiles.writeNew(List.of(
                new KeyFiles.Content(privateFile, key.privateJwkSetJson(), true),
                new KeyFiles.Content(publicFile, key.publicJwkSetJson(), false)));
        out.println("wrote " + (kind.operator ? "operator key name=" + key.name() + " " : "refresher key ") + "kid="
                + key.kid() + " alg=" + key.algorithm());
        out.println("  private: " + privateFile + " (0600; keep it where only its owner reads it)");
        out.println("  public:  " + publicFile);
        if (addTo != null) {
            KeyFiles.addPublicKey(addTo, key, role);
            out.println("  added the public half to " + addTo + " ("
                    + VerificationKeys.load(addTo, role).kids().size() + " key(s))");
        }
        out.println(
                kind.operator
                        ? "next: add the public half to the refreshers' tokencast.admin.operator-keys-file; sign with"
                                + " --operator-key " + privateFile
                        : "next: the refresher signs with the private file; readers trust the public half");
        return ExitCode.OK;
    }

    private SigningKey generate(String keyId, KeySetRole role) {
        String keyName = kind.operator ? name.strip() : name;
        return switch (alg) {
            case "EdDSA", "Ed25519" -> SigningKey.generateEd25519(keyId, keyName, role);
            case "ES256" -> SigningKey.generateEs256(keyId, keyName, role);
            default -> throw new ParameterException(
                    spec.commandLine(), "--alg must be EdDSA or ES256, was '" + alg + "'");
        };
    }

    private String defaultKid() {
        String prefix = kind.operator && FILE_SAFE.matcher(name).matches()
                ? name
                : kind.operator ? "operator" : kind.refresher ? "refresher" : "enc";
        return prefix + "-" + DAY.format(keys.cli.clock.instant()) + "-"
                + HexFormat.of()
                        .toHexDigits(ThreadLocalRandom.current().nextInt())
                        .substring(0, 4);
    }

    private String fileBase(String candidate) {
        if (!FILE_SAFE.matcher(candidate).matches()) {
            throw new ParameterException(
                    spec.commandLine(),
                    "'" + candidate + "' cannot name a file; give a --kid of letters, digits, '.', '_', '@' or '-'");
        }
        return candidate;
    }
}
