package io.tokencast.testkit.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokencast.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StableTokenTest extends SandboxTest {

    private static final String APP = "wx0000000000000002";
    private static final String SECRET = "app-secret-2";
    private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T02:00:00Z"));

    @Override
    WeChatSandbox startSandbox() {
        return started(SandboxSettings.defaults());
    }

    @Test
    void normalModeReturnsTheSameTokenUntilTheLastFiveMinutesAndANewOneInsideThem() {
        // given
        SandboxClient.Response first = client.stableToken(APP, SECRET, false);
        String token = first.text("access_token");
        assertThat(first.expiresIn()).isEqualTo(7200);

        // when the token has 301 s left, then the same token comes back with its remaining life
        clock.advance(Duration.ofSeconds(7200 - 301));
        SandboxClient.Response same = client.stableToken(APP, SECRET, false);
        assertThat(same.text("access_token")).isEqualTo(token);
        assertThat(same.expiresIn()).isEqualTo(301);

        // when it has 300 s left, then a new token, while the old one works to the end of its life
        clock.advance(Duration.ofSeconds(1));
        SandboxClient.Response rotated = client.stableToken(APP, SECRET, false);
        assertThat(rotated.text("access_token")).isNotEqualTo(token);
        assertThat(rotated.expiresIn()).isEqualTo(7200);
        clock.advance(Duration.ofSeconds(299));
        assertThat(client.callbackIp(token).errcode()).isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(client.callbackIp(token).errcode()).isEqualTo(42001);
        assertThat(client.callbackIp(rotated.text("access_token")).errcode()).isZero();
    }

    @Test
    void forceModeMintsANewTokenAndKillsTheOldOne() {
        // given
        String old = client.stableToken(APP, SECRET, false).text("access_token");
        clock.advance(Duration.ofMinutes(10));

        // when
        SandboxClient.Response forced = client.stableToken(APP, SECRET, true);

        // then
        assertThat(forced.text("access_token")).isNotEqualTo(old);
        assertThat(forced.expiresIn()).isEqualTo(7200);
        assertThat(client.callbackIp(old).errcode()).isEqualTo(40001);
        assertThat(client.callbackIp(forced.text("access_token")).errcode()).isZero();
    }

    @Test
    void forceRefreshesLessThan30SecondsApartDoNotRefresh() {
        // given
        String forced = client.stableToken(APP, SECRET, true).text("access_token");

        // when forced again 29 s later, then nothing changes
        clock.advance(Duration.ofSeconds(29));
        SandboxClient.Response tooSoon = client.stableToken(APP, SECRET, true);
        assertThat(tooSoon.text("access_token")).isEqualTo(forced);
        assertThat(tooSoon.expiresIn()).isEqualTo(7200 - 29);

        // when forced 30 s after the last refresh, then it refreshes
        clock.advance(Duration.ofSeconds(1));
        assertThat(client.stableToken(APP, SECRET, true).text("access_token")).isNotEqualTo(forced);
    }

    @Test
    void forceModeIsRationedTo20ADay() {
        // given 20 force refreshes, 30 s apart
        for (int i = 0; i < 20; i++) {
            assertThat(client.stableToken(APP, SECRET, true).errcode())
                    .as("force %d", i + 1)
                    .isZero();
            clock.advance(Duration.ofSeconds(30));
        }

        // when / then
        assertThat(client.stableToken(APP, SECRET, true).errcode()).isEqualTo(45009);
        assertThat(client.stableToken(APP, SECRET, false).errcode()).isZero();
        assertThat(sandbox.tokensIssued(APP, WeChatEndpoint.STABLE_TOKEN)).isEqualTo(20);
    }

    @Test
    void perMinuteQuotaAnswers45011UntilTheNextMinute() {
        // given a sandbox allowing 3 stable_token calls a minute
        sandbox.stop();
        use(started(SandboxSettings.builder().stableMinuteQuota(3).build()));
        for (int i = 0; i < 3; i++) {
            assertThat(client.stableToken(APP, SECRET, false).errcode()).isZero();
        }

        // when / then
        SandboxClient.Response refused = client.stableToken(APP, SECRET, false);
        assertThat(refused.errcode()).isEqualTo(45011);
        assertThat(refused.text("errmsg")).startsWith("api minute-quota reach limit mustslower retry next minute");
        clock.advance(Duration.ofMinutes(1));
        assertThat(client.stableToken(APP, SECRET, false).errcode()).isZero();
    }

    @Test
    void stableTokenAcceptsOnlyAJsonPost() {
        // when / then
        assertThat(client.get(
                                "/cgi-bin/stable_token",
                                "grant_type",
                                "client_credential",
                                "appid",
                                APP,
                                "secret",
                                SECRET)
                        .errcode())
                .isEqualTo(43002);
        assertThat(client.post(
                                "/cgi-bin/stable_token",
                                "application/x-www-form-urlencoded",
                                "grant_type=client_credential&appid=" + APP + "&secret=" + SECRET)
                        .errcode())
                .isEqualTo(43002);
        assertThat(client.stableToken(APP, "wrong", false).errcode()).isEqualTo(40125);
        assertThat(client.stableToken("wx-unknown", SECRET, false).errcode()).isEqualTo(40013);
    }

    @Test
    void stableAndClassicTokensAreIsolated() {
        // given
        String stable = client.stableToken(APP, SECRET, false).text("access_token");

        // when classic tokens are fetched over and over
        client.classicToken(APP, SECRET);
        client.classicToken(APP, SECRET);
        client.classicToken(APP, SECRET);

        // then the stable token is untouched and normal mode still returns it
        assertThat(client.callbackIp(stable).errcode()).isZero();
        assertThat(client.stableToken(APP, SECRET, false).text("access_token")).isEqualTo(stable);
    }

    private WeChatSandbox started(SandboxSettings settings) {
        return WeChatSandbox.start(clock, settings).registerApp(APP, SECRET);
    }
}
