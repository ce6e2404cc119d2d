package io.tokencast.testkit.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokencast.testkit.MutableClock;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FaultsTest extends SandboxTest {

    private static final String APP = "wx0000000000000005";
    private static final String OTHER = "wx0000000000000006";
    private static final String SECRET = "app-secret-5";
    private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T02:00:00Z"));

    @Override
    WeChatSandbox startSandbox() {
        return WeChatSandbox.start(clock).registerApp(APP, SECRET).registerApp(OTHER, SECRET);
    }

    @Test
    void failNextAnswersSystemErrorForTheNextCallsOnly() {
        // given
        sandbox.failNext(2);

        // when / then
        SandboxClient.Response busy = client.classicToken(APP, SECRET);
        assertThat(busy.errcode()).isEqualTo(-1);
        assertThat(busy.text("errmsg")).startsWith("system error rid: ");
        assertThat(client.stableToken(OTHER, SECRET, false).errcode()).isEqualTo(-1);
        assertThat(client.classicToken(APP, SECRET).errcode()).isZero();
    }

    @Test
    void failNextForAnAppLeavesOtherAppsAlone() {
        // given
        sandbox.failNext(APP, 1);

        // when / then
        assertThat(client.classicToken(OTHER, SECRET).errcode()).isZero();
        assertThat(client.classicToken(APP, SECRET).errcode()).isEqualTo(-1);
        assertThat(client.classicToken(APP, SECRET).errcode()).isZero();
    }

    @Test
    void scriptedErrcodeRepeatsUntilCleared() {
        // given
        sandbox.scriptErrcode(APP, 40125);

        // when / then
        assertThat(client.classicToken(APP, SECRET).errcode()).isEqualTo(40125);
        assertThat(client.stableToken(APP, SECRET, false).errcode()).isEqualTo(40125);
        assertThat(client.classicToken(OTHER, SECRET).errcode()).isZero();
        sandbox.clearScript(APP);
        assertThat(client.classicToken(APP, SECRET).errcode()).isZero();
    }

    @Test
    void serverErrorAnswersAnHttp5xxWithoutJson() throws Exception {
        // given
        sandbox.serverErrorNext(1, 502);

        // when
        HttpResponse<String> failed =
                client.raw("/cgi-bin/token", "grant_type", "client_credential", "appid", APP, "secret", SECRET);

        // then
        assertThat(failed.statusCode()).isEqualTo(502);
        assertThat(failed.body()).doesNotContain("errcode");
        assertThat(client.classicToken(APP, SECRET).errcode()).isZero();
        assertThat(sandbox.callLog()).first().satisfies(c -> assertThat(c.fault())
                .isEqualTo("http-502"));
    }

    @Test
    void connectionResetClosesTheExchangeWithoutAResponse() {
        // given
        sandbox.resetConnectionNext(1);

        // when / then: a POST is not retried by java.net.http, so the reset surfaces
        assertThatThrownBy(() -> client.stableToken(APP, SECRET, false)).hasRootCauseInstanceOf(IOException.class);
        assertThat(sandbox.tokensIssued(APP, WeChatEndpoint.STABLE_TOKEN)).isZero();
        assertThat(sandbox.callLog()).singleElement().satisfies(c -> assertThat(c.fault())
                .isEqualTo("connection-reset"));
        assertThat(client.stableToken(APP, SECRET, false).errcode()).isZero();
    }

    @Test
    void resetGetsAreRetriedOnceByJavaHttpClientSoTwoResetsAreNeededToFailOne() {
        // given
        sandbox.resetConnectionNext(2);

        // when / then
        assertThatThrownBy(() ->
                        client.raw("/cgi-bin/token", "grant_type", "client_credential", "appid", APP, "secret", SECRET))
                .isInstanceOf(IOException.class);
        assertThat(sandbox.calls(APP, WeChatEndpoint.TOKEN)).isZero();
        assertThat(sandbox.callLog()).hasSize(2);
    }

    @Test
    void latencyDelaysEveryAnswer() {
        // given
        sandbox.setLatency(Duration.ofMillis(300));

        // when
        long started = System.nanoTime();
        SandboxClient.Response response = client.classicToken(APP, SECRET);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        // then
        assertThat(response.errcode()).isZero();
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void adminConfirmationFlowAsksWaitsAndBlocksForAnHourAfterARejection() {
        // given
        sandbox.requireAdminConfirmation(APP);

        // when / then: asked, then waiting
        assertThat(client.classicToken(APP, SECRET).errcode()).isEqualTo(89503);
        assertThat(client.classicToken(APP, SECRET).errcode()).isEqualTo(89501);

        // when rejected: blocked for an hour, then asked again
        sandbox.rejectAdmin(APP);
        assertThat(client.classicToken(APP, SECRET).errcode()).isEqualTo(89507);
        clock.advance(Duration.ofHours(1));
        assertThat(client.classicToken(APP, SECRET).errcode()).isEqualTo(89503);

        // when confirmed: calls succeed
        sandbox.confirmAdmin(APP);
        assertThat(client.classicToken(APP, SECRET).errcode()).isZero();
    }
}
