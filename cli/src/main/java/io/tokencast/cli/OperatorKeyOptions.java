package io.tokencast.cli;

import io.tokencast.trust.signing.CommandSigner;
import io.tokencast.trust.signing.KeySetRole;
import io.tokencast.trust.signing.SigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The operator key a command is signed with: the refresher serves only commands signed with a key of its operator
 * set and credits them to that key's {@code name} (docs/security.md §6).
 */
final class OperatorKeyOptions {

    @Option(
            names = "--operator-key",
            paramLabel = "FILE",
            defaultValue = "${env:TOKENCAST_OPERATOR_KEY}",
            description = "Your operator key: the private JWK set `tokencast keys generate --operator` wrote"
                    + " (env TOKENCAST_OPERATOR_KEY). Commands are signed with it and credited to its name.")
    Path file;

    @Option(
            names = "--operator-kid",
            paramLabel = "KID",
            description = "The key of --operator-key to sign with, when the file holds several.")
    String kid;

    /**
     * The signer of the configured key.
     *
     * @throws IllegalArgumentException naming the fix when no key is given, or it cannot be read or used
     */
    CommandSigner signer() {
        if (file == null || file.toString().isBlank()) {
            throw new IllegalArgumentException("commands must be signed: give --operator-key FILE (or set"
                    + " TOKENCAST_OPERATOR_KEY); create a key with `tokencast keys generate --operator --name <you>`"
                    + " and have its public half added to the refreshers' tokencast.admin.operator-keys-file");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("operator key file " + file + " does not exist or is not a file");
        }
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("operator key file " + file + " is not readable by this user");
        }
        SigningKey key;
        try {
            key = SigningKey.load(file, KeySetRole.OPERATORS, kid);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("operator key file " + file + " cannot sign: " + e.getMessage(), e);
        }
        return new CommandSigner(key);
    }
}
