package io.tokencast.refresher.service.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokencast.schema.RefreshReason;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/** Console users are configured by bcrypt hash only, and a token's state reads as the consumers judge it. */
class ConsoleSettingsTest {

    @Test
    void acceptsBcryptHashesFromSpringAndFromHtpasswd() {
        String spring = new BCryptPasswordEncoder().encode("s3cret");
        String htpasswd = "$2y$10$" + spring.substring(7);

        assertThat(new ConsoleSettings.User("anna", spring).passwordHash()).isEqualTo(spring);
        assertThat(new ConsoleSettings.User("anna", htpasswd).passwordHash()).isEqualTo(htpasswd);
    }

    @Test
    void refusesAPlainPasswordWithoutRepeatingIt() {
        assertThatThrownBy(() -> new ConsoleSettings.User("anna", "s3cret-password"))
                .hasMessageContaining("not a bcrypt hash")
                .hasMessageNotContaining("s3cret-password");
        assertThat(new ConsoleSettings.User("anna", new BCryptPasswordEncoder().encode("x")).toString())
                .doesNotContain("$2");
    }

    @Test
    void tokenStateFollowsThePlannedRefreshAndTheExpiry() {
        Instant issued = Instant.parse("2026-03-02T01:00:00Z");
        TokenRefreshed token = TokenRefreshed.of(
                TokenKey.parse("wechat-access-token/wx00000000000000c1"),
                3,
                "t",
                issued,
                issued.plusSeconds(7200),
                issued.plusSeconds(5400),
                RefreshReason.SCHEDULED,
                "r",
                null);

        assertThat(ConsoleState.state(null, issued)).isEqualTo("ABSENT");
        assertThat(ConsoleState.state(token, issued.plusSeconds(5400))).isEqualTo("FRESH");
        assertThat(ConsoleState.state(token, issued.plusSeconds(5400).plus(Duration.ofMinutes(2))))
                .isEqualTo("STALE");
        assertThat(ConsoleState.state(token, issued.plusSeconds(7200))).isEqualTo("EXPIRED");
    }
}
