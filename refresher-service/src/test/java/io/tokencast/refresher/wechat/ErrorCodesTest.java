package io.tokencast.refresher.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokencast.refresher.wechat.WeChatException.Retry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ErrorCodesTest {

    @ParameterizedTest
    @ValueSource(ints = {-1, 45011, 45033})
    void transientCodesBackOff(int errcode) {
        assertThat(ErrorCodes.classify(errcode)).isEqualTo(Retry.BACKOFF);
    }

    @ParameterizedTest
    @ValueSource(ints = {45009})
    void theDailyQuotaWaitsForTomorrow(int errcode) {
        assertThat(ErrorCodes.classify(errcode)).isEqualTo(Retry.QUOTA);
    }

    @ParameterizedTest
    @ValueSource(
            ints = {
                40001, 40002, 40013, 40091, 40125, 40164, 40243, 41002, 41004, 43002, 48001, 50004, 50007, 60020, 89501,
                89503, 89506, 89507, 12345
            })
    void codesRetryingCannotFixStopTheKey(int errcode) {
        assertThat(ErrorCodes.classify(errcode)).isEqualTo(Retry.STOP);
        assertThat(ErrorCodes.hint(errcode)).isNotBlank();
    }
}
