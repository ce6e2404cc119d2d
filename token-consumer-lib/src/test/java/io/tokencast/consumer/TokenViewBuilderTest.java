package io.tokencast.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokencast.testkit.signing.TestRefresherKey;
import io.tokencast.trust.signing.KeySetRole;
import io.tokencast.trust.signing.SigningKey;
import io.tokencast.trust.signing.VerificationKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The builder refuses a view that would trust tokens by accident (no keys, and no explicit opt-out), and
 * broker-contact settings that would make contact flap or never be checked.
 */
class TokenViewBuilderTest {

    @Test
    void aViewWithNeitherRefresherKeysNorAnExplicitOptOutIsRefused() {
        TokenView.Builder builder = TokenView.builder().bootstrapServers("localhost:1");

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refresherKeysFile")
                .hasMessageContaining("withoutSignatureVerification()")
                .hasMessageContaining("tokencast.tokens");
    }

    @Test
    void refresherKeysAndTheOptOutTogetherAreRefused() {
        TokenView.Builder builder = TokenView.builder()
                .bootstrapServers("localhost:1")
                .refresherKeys(TestRefresherKey.shared().verificationKeys())
                .withoutSignatureVerification();

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("choose one");
    }

    @Test
    void theOperatorsSetIsNotTheRefresherSet() {
        VerificationKeys operators = VerificationKeys.of(
                KeySetRole.OPERATORS, List.of(SigningKey.generateEd25519("op-1", "alice", KeySetRole.OPERATORS)));

        assertThatThrownBy(() -> TokenView.builder().refresherKeys(operators))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("refresher's public JWK set");
    }

    @Test
    void refresherKeysFileLoadsThePublicSetAndTheViewSaysSo(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(
                dir.resolve("refresher.jwks.json"),
                TestRefresherKey.shared().signingKey().publicJwkSetJson());

        try (TokenView view = TokenView.builder()
                .bootstrapServers("localhost:1")
                .refresherKeysFile(file)
                .build()) {
            SignatureVerification verification = view.signatureVerification();

            assertThat(verification.enabled()).isTrue();
            assertThat(verification.kids())
                    .containsExactly(TestRefresherKey.shared().kid());
            assertThat(verification.provider()).contains("BouncyCastle");
        }
    }

    @Test
    void aPrivateJwkSetIsRefusedAsRefresherKeys(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(
                dir.resolve("refresher.private.jwks.json"),
                TestRefresherKey.shared().signingKey().privateJwkSetJson());

        assertThatThrownBy(() -> TokenView.builder().refresherKeysFile(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("private key material");
    }

    @Test
    void rejectsALostThresholdNotLongerThanTheCheckInterval() {
        TokenView.Builder builder = TokenView.builder()
                .bootstrapServers("localhost:1")
                .refresherKeys(TestRefresherKey.shared().verificationKeys())
                .brokerContactCheckInterval(Duration.ofSeconds(10))
                .brokerContactLostAfter(Duration.ofSeconds(10));

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("brokerContactLostAfter (PT10S)")
                .hasMessageContaining("brokerContactCheckInterval (PT10S)");
    }

    @Test
    void rejectsAZeroCheckInterval() {
        assertThatThrownBy(() -> TokenView.builder().brokerContactCheckInterval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("brokerContactCheckInterval must be positive");
    }

    @Test
    void aViewNotStartedHasMissedNoContact() {
        try (TokenView view = TokenView.builder()
                .bootstrapServers("localhost:1")
                .refresherKeys(TestRefresherKey.shared().verificationKeys())
                .build()) {
            BrokerContact contact = view.brokerContact();

            assertThat(contact.lost()).isFalse();
            assertThat(contact.lastContactAt()).isEmpty();
            assertThat(contact.silentFor()).isZero();
        }
    }
}
