package io.tokencast.refresher.service.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokencast.refresher.wechat.FetchMode;
import org.junit.jupiter.api.Test;

class QuotaReserveTest {

    private final QuotaReserve defaults = new QuotaReserve(0.5, 32, 5);

    @Test
    void commandsForceAStableTokenAtMostFiveOfItsTwentyTimesADay() {
        assertThat(defaults.commandAllowance(FetchMode.FORCE, 20)).isEqualTo(5);
        assertThat(defaults.commandAllowance(FetchMode.FORCE, 3)).isEqualTo(3);
    }

    @Test
    void commandsSpendAtMostTheirShareAndNeverTheSchedulersReserve() {
        assertThat(defaults.commandAllowance(FetchMode.NORMAL, 2000)).isEqualTo(1000);
        // a small budget: the share would eat into twice the day's 16 planned fetches
        assertThat(defaults.commandAllowance(FetchMode.NORMAL, 40)).isEqualTo(8);
        assertThat(defaults.commandAllowance(FetchMode.NORMAL, 20)).isZero();
        assertThat(new QuotaReserve(1.0, 32, 5).commandAllowance(FetchMode.NORMAL, 2000))
                .isEqualTo(1968);
    }

    @Test
    void aShareOutsideZeroToOneIsRefused() {
        assertThatThrownBy(() -> new QuotaReserve(1.5, 32, 5)).hasMessageContaining("commandShare");
        assertThatThrownBy(() -> new QuotaReserve(Double.NaN, 32, 5)).hasMessageContaining("commandShare");
    }
}
