package io.tokencast.testkit.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokencast.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class InspectionTest extends SandboxTest {

    private static final String APP = "wx0000000000000007";
    private static final String SECRET = "app-secret-7";
    private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T02:00:00Z"));

    @Override
    WeChatSandbox startSandbox() {
        return WeChatSandbox.start(clock).registerApp(APP, SECRET);
    }

    @Test
    void countsCallsIssuedTokensAndValidTokensPerAppAndEndpoint() {
        // given three classic fetches, one refused, and one stable fetch
        client.classicToken(APP, SECRET);
        client.classicToken(APP, SECRET);
        client.classicToken(APP, "wrong");
        client.classicToken(APP, SECRET);
        client.stableToken(APP, SECRET, false);

        // then
        assertThat(sandbox.calls(APP, WeChatEndpoint.TOKEN)).isEqualTo(4);
        assertThat(sandbox.tokensIssued(APP, WeChatEndpoint.TOKEN)).isEqualTo(3);
        assertThat(sandbox.tokensValid(APP, WeChatEndpoint.TOKEN)).isEqualTo(2);
        assertThat(sandbox.calls(APP, WeChatEndpoint.STABLE_TOKEN)).isEqualTo(1);

        // when the overlap has passed, then one is left
        clock.advance(Duration.ofSeconds(300));
        assertThat(sandbox.tokensValid(APP, WeChatEndpoint.TOKEN)).isEqualTo(1);
    }

    @Test
    void callLogHoldsFingerprintsButNeverSecretsOrTokens() {
        // given
        String token = client.classicToken(APP, SECRET).text("access_token");
        client.callbackIp(token);

        // when
        String log = sandbox.callLog().toString();

        // then
        assertThat(log).doesNotContain(SECRET).doesNotContain(token);
        assertThat(sandbox.callLog()).hasSize(2);
        SandboxCall fetch = sandbox.callLog().get(0);
        assertThat(fetch.endpoint()).isEqualTo(WeChatEndpoint.TOKEN);
        assertThat(fetch.errcode()).isZero();
        assertThat(fetch.presentedFingerprint()).matches("sha256:[0-9a-f]{16}");
        assertThat(fetch.issuedFingerprint()).matches("sha256:[0-9a-f]{16}");
        SandboxCall probe = sandbox.callLog().get(1);
        assertThat(probe.presentedFingerprint()).isEqualTo(fetch.issuedFingerprint());
        assertThat(probe.account()).isEqualTo(APP);
    }

    @Test
    void inspectionEndpointsServeStatsAndMoveAVirtualClock() {
        // given
        client.classicToken(APP, SECRET);

        // when
        SandboxClient.Response stats = client.get("/sandbox/stats", "account", APP, "endpoint", "token");
        SandboxClient.Response advanced = client.post("/sandbox/advance", "text/plain", "", "seconds", "60");

        // then
        assertThat(stats.json().path("calls").asInt()).isEqualTo(1);
        assertThat(stats.json().path("tokensValid").asInt()).isEqualTo(1);
        assertThat(advanced.text("now")).isEqualTo("2025-03-01T02:01:00Z");
        assertThat(clock.instant()).isEqualTo(Instant.parse("2025-03-01T02:01:00Z"));
        assertThat(sandbox.calls(APP, WeChatEndpoint.TOKEN)).isEqualTo(1);
    }
}
