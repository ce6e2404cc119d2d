package io.tokencast.trust.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokencast.schema.RefreshRequested;
import io.tokencast.schema.TokenKey;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandSignerTest {

    private static final TokenKey KEY = TokenKey.parse("wechat-access-token/wx0123456789abcdef");
    private static final Instant AT = Instant.parse("2026-12-07T09:00:00Z");
    private final SigningKey console = SigningKey.generateEd25519("console-1", "console", KeySetRole.OPERATORS);
    private final RecordVerifier operators =
            new RecordVerifier(VerificationKeys.of(KeySetRole.OPERATORS, List.of(console)));

    @Test
    void aConsoleSignsForItsUserAndTheSignatureCoversOnBehalfOf() {
        byte[] signed = new CommandSigner(console)
                .sign(RefreshRequested.manual(KEY, false, "console", AT), "alice@example.com");

        Verification verification = operators.verify(signed, KEY.asString());
        assertThat(verification.signer()).isEqualTo("console");
        assertThat(new String(signed, java.nio.charset.StandardCharsets.UTF_8))
                .contains("\"onBehalfOf\":\"alice@example.com\"");
        byte[] changed = new String(signed, java.nio.charset.StandardCharsets.UTF_8)
                .replace("alice@example.com", "mallory@example.com")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(operators.verify(changed, KEY.asString()).verdict()).isEqualTo(Verdict.BAD_SIGNATURE);
    }

    @Test
    void refusesToSignInAnotherName() {
        assertThatThrownBy(() -> new CommandSigner(console).sign(RefreshRequested.manual(KEY, true, "oncall", AT)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("requestedBy must be the signing key's name 'console'");
    }

    @Test
    void refusesARefresherKey() {
        assertThatThrownBy(() -> new CommandSigner(SigningKey.generateEd25519("r", null, KeySetRole.REFRESHER)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
