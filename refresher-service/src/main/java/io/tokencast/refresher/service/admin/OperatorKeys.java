package io.tokencast.refresher.service.admin;

import io.tokencast.refresher.service.config.InvalidConfigurationException;
import io.tokencast.trust.signing.KeySetRole;
import io.tokencast.trust.signing.RecordVerifier;
import io.tokencast.trust.signing.VerificationKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the operators' public JWK set ({@code tokencast.admin.operator-keys-file}). A set that does not load is a
 * start-up error naming the fix; no set at all is allowed but leaves the admin topic refusing every command,
 * which start-up says loudly (secure by default).
 */
final class OperatorKeys {

    private static final Logger log = LoggerFactory.getLogger(OperatorKeys.class);

    static final String PROPERTY = "tokencast.admin.operator-keys-file";

    private OperatorKeys() {}

    /** The verifier of operator commands, or null when no keys are configured. */
    static RecordVerifier load(Path file, String adminTopic) {
        if (file == null || file.toString().isBlank()) {
            log.warn(
                    "no operator keys configured: every command on {} is REJECTED as UNAUTHENTICATED."
                            + " To send commands (tokencast refresh, keys rotate, the console's refresh button),"
                            + " generate a key per operator with `tokencast keys generate --operator --name <name>"
                            + " --out <dir>` and list the public halves in one JWK set file named by {}"
                            + " (docs/security.md §6)",
                    adminTopic,
                    PROPERTY);
            return null;
        }
        if (!Files.isReadable(file)) {
            throw new InvalidConfigurationException(
                    List.of(
                            PROPERTY + ": cannot read " + file
                                    + "; name the operators' public JWK set (tokencast keys generate writes it as <name>.public.jwks.json)"));
        }
        VerificationKeys keys;
        try {
            keys = VerificationKeys.load(file, KeySetRole.OPERATORS);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(List.of(PROPERTY + ": " + e.getMessage()));
        }
        log.info("operator keys loaded file={} kids={} provider={}", file, keys.kids(), RecordVerifier.provider());
        return new RecordVerifier(keys);
    }
}
