package io.tokencast.refresher.service.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tokencast.refresher.service.config.InvalidConfigurationException;
import io.tokencast.trust.signing.KeySetRole;
import io.tokencast.trust.signing.SigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The operators' key set at start: none is allowed but said loudly; a broken one stops start-up with the fix. */
class OperatorKeysTest {

    @TempDir
    Path dir;

    private final Logger logger = (Logger) LoggerFactory.getLogger(OperatorKeys.class);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void listen() {
        logs.start();
        logger.addAppender(logs);
    }

    @AfterEach
    void stopListening() {
        logger.detachAppender(logs);
    }

    @Test
    void withoutKeysEveryCommandIsRefusedAndStartUpSaysHowToAddThem() {
        assertThat(OperatorKeys.load(null, "tokencast.token-admin")).isNull();

        assertThat(logs.list).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.WARN);
            assertThat(event.getFormattedMessage())
                    .contains(
                            "every command on tokencast.token-admin is REJECTED as UNAUTHENTICATED",
                            "tokencast keys generate --operator --name",
                            "tokencast.admin.operator-keys-file");
        });
    }

    @Test
    void aPublicSetWithNamesLoads() throws Exception {
        SigningKey anna = SigningKey.generateEd25519("anna-1", "anna", KeySetRole.OPERATORS);
        Path set = Files.writeString(dir.resolve("operators.jwks.json"), anna.publicJwkSetJson());

        assertThat(OperatorKeys.load(set, "tokencast.token-admin").keys().kids())
                .containsExactly("anna-1");
    }

    @Test
    void aMissingFileAPrivateKeyOrANamelessKeyStopStartUpWithTheFix() throws Exception {
        SigningKey anna = SigningKey.generateEd25519("anna-1", "anna", KeySetRole.OPERATORS);
        Path privateSet = Files.writeString(dir.resolve("private.jwks.json"), anna.privateJwkSetJson());
        Path nameless = Files.writeString(
                dir.resolve("nameless.jwks.json"),
                SigningKey.generateEd25519("r-1", null, KeySetRole.REFRESHER).publicJwkSetJson());

        assertThatThrownBy(() -> OperatorKeys.load(dir.resolve("absent.json"), "admin"))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("tokencast.admin.operator-keys-file: cannot read");
        assertThatThrownBy(() -> OperatorKeys.load(privateSet, "admin"))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("private key material");
        assertThatThrownBy(() -> OperatorKeys.load(nameless, "admin"))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("has no \"name\"");
    }
}
