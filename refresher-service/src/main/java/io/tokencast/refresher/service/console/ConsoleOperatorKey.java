package io.tokencast.refresher.service.console;

import io.tokencast.refresher.service.config.InvalidConfigurationException;
import io.tokencast.trust.signing.CommandSigner;
import io.tokencast.trust.signing.KeySetRole;
import io.tokencast.trust.signing.SigningKey;
import io.tokencast.trust.signing.VerificationKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the console's own operator key ({@code tokencast.console.operator-key-file}) and says at start when the
 * refreshers would refuse what it signs: no key, or a key this refresher's operator set does not hold.
 */
final class ConsoleOperatorKey {

    private static final Logger log = LoggerFactory.getLogger(ConsoleOperatorKey.class);

    static final String PROPERTY = "tokencast.console.operator-key-file";

    private ConsoleOperatorKey() {}

    /**
     * The console's signer, or null without a key.
     *
     * @param operatorKeys this refresher's {@code tokencast.admin.operator-keys-file}, or null
     */
    static CommandSigner load(Path keyFile, Path operatorKeys) {
        if (keyFile == null || keyFile.toString().isBlank()) {
            log.info(
                    "console has no operator key: its refresh buttons are refused until {} names one"
                            + " (tokencast keys generate --operator --name console)",
                    PROPERTY);
            return null;
        }
        if (!Files.isReadable(keyFile)) {
            throw new InvalidConfigurationException(List.of(PROPERTY + ": cannot read " + keyFile
                    + "; name the console's private JWK set (tokencast keys generate writes it, readable by its"
                    + " owner only)"));
        }
        SigningKey key;
        try {
            key = SigningKey.load(keyFile, KeySetRole.OPERATORS, null);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(List.of(PROPERTY + ": " + e.getMessage()));
        }
        if (operatorKeys != null && Files.isReadable(operatorKeys)) {
            try {
                if (!VerificationKeys.load(operatorKeys, KeySetRole.OPERATORS)
                        .kids()
                        .contains(key.kid())) {
                    log.warn(
                            "console operator key kid={} is not in tokencast.admin.operator-keys-file {}: refreshers"
                                    + " with that set will refuse the console's commands as UNAUTHENTICATED; add its"
                                    + " public half there",
                            key.kid(),
                            operatorKeys);
                }
            } catch (IllegalArgumentException e) {
                // The admin listener reports a broken operator set itself.
            }
        }
        log.info("console signs commands as operator={} kid={} alg={}", key.name(), key.kid(), key.algorithm());
        return new CommandSigner(key);
    }
}
