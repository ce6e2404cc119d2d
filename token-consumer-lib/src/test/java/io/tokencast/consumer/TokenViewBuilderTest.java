package io.tokencast.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The builder refuses broker-contact settings that would make contact flap or never be checked. */
class TokenViewBuilderTest {

    @Test
    void rejectsALostThresholdNotLongerThanTheCheckInterval() {
        TokenView.Builder builder = TokenView.builder()
                .bootstrapServers("localhost:1")
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
        try (TokenView view =
                TokenView.builder().bootstrapServers("localhost:1").build()) {
            BrokerContact contact = view.brokerContact();

            assertThat(contact.lost()).isFalse();
            assertThat(contact.lastContactAt()).isEmpty();
            assertThat(contact.silentFor()).isZero();
        }
    }
}
