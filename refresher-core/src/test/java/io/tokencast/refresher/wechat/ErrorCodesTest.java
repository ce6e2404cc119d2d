package io.tokencast.refresher.wechat;

import static io.tokencast.refresher.wechat.ErrorCodes.Call.OPEN_PLATFORM;
import static io.tokencast.refresher.wechat.ErrorCodes.Call.TOKEN_ENDPOINT;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokencast.refresher.wechat.WeChatException.Retry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ErrorCodesTest {

    @ParameterizedTest
    @ValueSource(ints = {-1, 45011, 45033})
    void transientCodesBackOff(int errcode) {
        assertThat(ErrorCodes.classify(errcode, TOKEN_ENDPOINT)).isEqualTo(Retry.BACKOFF);
    }

    @ParameterizedTest
    @ValueSource(ints = {45009})
    void theDailyQuotaWaitsForTomorrow(int errcode) {
        assertThat(ErrorCodes.classify(errcode, TOKEN_ENDPOINT)).isEqualTo(Retry.QUOTA);
    }

    @ParameterizedTest
    @ValueSource(
            ints = {
                40001, 40002, 40013, 40091, 40125, 40164, 40243, 41002, 41004, 43002, 48001, 50004, 50007, 60020, 89501,
                89503, 89506, 89507, 12345
            })
    void codesRetryingCannotFixStopTheKey(int errcode) {
        assertThat(ErrorCodes.classify(errcode, TOKEN_ENDPOINT)).isEqualTo(Retry.STOP);
        assertThat(ErrorCodes.hint(errcode, TOKEN_ENDPOINT)).isNotBlank();
    }

    @ParameterizedTest
    @ValueSource(ints = {40001, 40014, 42001})
    void aRefusedTokenIsASecretProblemAtTheTokenEndpointButWaitsOutOnOpenPlatformCalls(int errcode) {
        assertThat(ErrorCodes.classify(errcode, OPEN_PLATFORM)).isEqualTo(Retry.BACKOFF);
        assertThat(ErrorCodes.hint(errcode, OPEN_PLATFORM)).contains("replaced by its own refresh");
        assertThat(ErrorCodes.hint(40001, TOKEN_ENDPOINT)).contains("rejects the secret");
    }

    @ParameterizedTest
    @ValueSource(ints = {61005, 61006})
    void aDeadVerifyTicketWaitsForTheNextPush(int errcode) {
        assertThat(ErrorCodes.classify(errcode, OPEN_PLATFORM)).isEqualTo(Retry.BACKOFF);
        assertThat(ErrorCodes.classify(errcode, TOKEN_ENDPOINT)).isEqualTo(Retry.STOP);
    }

    @ParameterizedTest
    @ValueSource(ints = {61003, 61023, 61004, 12345})
    void openPlatformCodesRetryingCannotFixStopTheKey(int errcode) {
        assertThat(ErrorCodes.classify(errcode, OPEN_PLATFORM)).isEqualTo(Retry.STOP);
        assertThat(ErrorCodes.hint(errcode, OPEN_PLATFORM)).isNotBlank();
    }
}
