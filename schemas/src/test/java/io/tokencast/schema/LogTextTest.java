package io.tokencast.schema;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogTextTest {

    @Test
    void escapesEverythingThatCouldStartAnotherLogLine() {
        assertThat(LogText.of("a\r\nINFO forged\tline \"q\" \\ \u0000 \u2028 é", 100))
                .isEqualTo("a\\r\\nINFO forged\\tline \\\"q\\\" \\\\ \\u0000 \\u2028 é")
                .doesNotContain("\n", "\r");
    }

    @Test
    void cutsLongTextAndSaysHowLongItWas() {
        assertThat(LogText.of("k".repeat(10_000), 5)).isEqualTo("kkkkk…(10000 chars)");
        assertThat(LogText.of("short", 5)).isEqualTo("short");
        assertThat(LogText.of(null)).isEqualTo("null");
    }
}
