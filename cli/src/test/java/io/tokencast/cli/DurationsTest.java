package io.tokencast.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class DurationsTest {

    @Test
    void readsTheShortFormsOperatorsTypeAndIso() {
        assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("15m")).isEqualTo(Duration.ofMinutes(15));
        assertThat(Durations.parse("24h")).isEqualTo(Duration.ofHours(24));
        assertThat(Durations.parse("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("PT2H")).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void rejectsNonsenseWithAnExample() {
        assertThatThrownBy(() -> Durations.parse("soon"))
                .isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("30s");
    }

    @Test
    void sinceTakesAnInstantOrADurationAgo() {
        Instant now = Instant.parse("2026-11-26T12:00:00Z");
        assertThat(Durations.instantOrAgo("2h", now)).isEqualTo(Instant.parse("2026-11-26T10:00:00Z"));
        assertThat(Durations.instantOrAgo("2026-11-25T00:00:00Z", now))
                .isEqualTo(Instant.parse("2026-11-25T00:00:00Z"));
    }

    @Test
    void countdownsReadLikeAClock() {
        assertThat(Durations.countdown(Duration.ofSeconds(3723))).isEqualTo("1h 02m 03s");
        assertThat(Durations.countdown(Duration.ofSeconds(65))).isEqualTo("1m 05s");
        assertThat(Durations.countdown(Duration.ofSeconds(-300))).isEqualTo("-5m 00s");
    }
}
