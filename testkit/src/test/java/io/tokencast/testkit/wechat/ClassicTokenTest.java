package io.tokencast.testkit.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokencast.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClassicTokenTest extends SandboxTest {

    private static final String APP = "wx0000000000000001";
    private static final String SECRET = "app-secret-1";
    /** 22:00 in Shanghai: two hours before WeChat's day turns over. */
    private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T14:00:00Z"));

    @Override
    WeChatSandbox startSandbox() {
        return WeChatSandbox.start(clock).registerApp(APP, SECRET);
    }

    @Test
    void classicTokenSurvivesItsSuccessorForTheOverlapOnly() {
        // given a token and, a minute later, its successor
        String first = client.classicToken(APP, SECRET).text("access_token");
        clock.advance(Duration.ofMinutes(1));
        String second = client.classicToken(APP, SECRET).text("access_token");

        // when 299 s pass, then both work
        clock.advance(Duration.ofSeconds(299));
        assertThat(client.callbackIp(first).errcode()).isZero();
        assertThat(client.callbackIp(second).errcode()).isZero();

        // when 301 s have passed, then the old one is superseded
        clock.advance(Duration.ofSeconds(2));
        SandboxClient.Response old = client.callbackIp(first);
        assertThat(old.errcode()).isEqualTo(40001);
        assertThat(old.text("errmsg")).startsWith("invalid credential, access_token is invalid or not latest rid: ");
        assertThat(client.callbackIp(second).errcode()).isZero();
    }

    @Test
    void classicFetchReturnsAnOpaqueTokenShapedLikeWeChats() {
        // when
        SandboxClient.Response response = client.classicToken(APP, SECRET);

        // then
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().propertyNames()).containsExactly("access_token", "expires_in");
        assertThat(response.expiresIn()).isEqualTo(7200);
        assertThat(response.text("access_token")).matches("\\d{2}_[A-Za-z0-9_-]{120,160}");
    }

    @Test
    void onlyTheImmediatePredecessorKeepsTheOverlap() {
        // given three tokens fetched in quick succession
        String first = client.classicToken(APP, SECRET).text("access_token");
        String second = client.classicToken(APP, SECRET).text("access_token");
        String third = client.classicToken(APP, SECRET).text("access_token");

        // then the one two generations back is dead at once, the previous one still works
        assertThat(client.callbackIp(first).errcode()).isEqualTo(40001);
        assertThat(client.callbackIp(second).errcode()).isZero();
        assertThat(client.callbackIp(third).errcode()).isZero();
        assertThat(sandbox.tokensValid(APP, WeChatEndpoint.TOKEN)).isEqualTo(2);
    }

    @Test
    void classicTokenExpiresWith42001AfterItsLifetime() {
        // given
        String token = client.classicToken(APP, SECRET).text("access_token");

        // when
        clock.advance(Duration.ofSeconds(7199));
        int justBefore = client.callbackIp(token).errcode();
        clock.advance(Duration.ofSeconds(1));
        SandboxClient.Response after = client.callbackIp(token);

        // then
        assertThat(justBefore).isZero();
        assertThat(after.errcode()).isEqualTo(42001);
        assertThat(after.text("errmsg")).startsWith("access_token expired rid: ");
    }

    @Test
    void dailyQuotaAnswers45009OnThe2001stFetchAndResetsOnTheShanghaiDay() {
        // given 2000 fetches today
        for (int i = 0; i < 2000; i++) {
            assertThat(client.classicToken(APP, SECRET).errcode())
                    .as("fetch %d", i + 1)
                    .isZero();
        }

        // when the 2001st comes, then the quota is spent
        SandboxClient.Response refused = client.classicToken(APP, SECRET);
        assertThat(refused.errcode()).isEqualTo(45009);
        assertThat(refused.text("errmsg")).startsWith("reach max api daily quota limit rid: ");

        // when UTC midnight is still a day away but Shanghai's day turned (16:00 UTC), then it is reset
        clock.set(Instant.parse("2025-03-01T15:59:59Z"));
        assertThat(client.classicToken(APP, SECRET).errcode()).isEqualTo(45009);
        clock.set(Instant.parse("2025-03-01T16:00:00Z"));
        assertThat(client.classicToken(APP, SECRET).errcode()).isZero();
    }

    @Test
    void badParametersAnswerTheirDocumentedErrcodesWithHttp200() {
        // when / then
        assertThat(client.classicToken("wx-unknown", SECRET).errcode()).isEqualTo(40013);
        assertThat(client.classicToken(APP, "wrong").errcode()).isEqualTo(40125);
        assertThat(client.get("/cgi-bin/token", "grant_type", "client_credential", "secret", SECRET)
                        .errcode())
                .isEqualTo(41002);
        assertThat(client.get("/cgi-bin/token", "grant_type", "client_credential", "appid", APP)
                        .errcode())
                .isEqualTo(41004);
        SandboxClient.Response badGrant =
                client.get("/cgi-bin/token", "grant_type", "password", "appid", APP, "secret", SECRET);
        assertThat(badGrant.errcode()).isEqualTo(40002);
        assertThat(badGrant.status()).isEqualTo(200);
        assertThat(badGrant.text("errmsg")).matches("invalid grant_type rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}");
        assertThat(sandbox.tokensIssued(APP, WeChatEndpoint.TOKEN)).isZero();
    }

    @Test
    void callerOutsideTheIpWhitelistGets40164() {
        // given
        sandbox.setIpWhitelist(APP, Set.of("10.1.2.3"));

        // when
        SandboxClient.Response refused = client.classicToken(APP, SECRET);
        sandbox.setIpWhitelist(APP, Set.of("10.1.2.3", "127.0.0.1"));
        SandboxClient.Response allowed = client.classicToken(APP, SECRET);

        // then
        assertThat(refused.errcode()).isEqualTo(40164);
        assertThat(refused.text("errmsg")).startsWith("invalid ip 127.0.0.1 ipv6 ::ffff:127.0.0.1, not in whitelist");
        assertThat(allowed.errcode()).isZero();
    }

    @Test
    void clearQuotaRestoresTheDailyQuotaTenTimesAMonth() {
        // given a sandbox whose classic quota is 1 a day, spent
        sandbox.stop();
        sandbox = WeChatSandbox.start(
                        clock, SandboxSettings.builder().classicDailyQuota(1).build())
                .registerApp(APP, SECRET);
        client = new SandboxClient(sandbox.url());
        String token = client.classicToken(APP, SECRET).text("access_token");
        assertThat(client.classicToken(APP, SECRET).errcode()).isEqualTo(45009);

        // when cleared ten times, then each clear buys one fetch
        for (int i = 0; i < 10; i++) {
            SandboxClient.Response cleared =
                    client.postJson("/cgi-bin/clear_quota", Map.of("appid", APP), "access_token", token);
            assertThat(cleared.errcode()).as("clear %d", i + 1).isZero();
            assertThat(cleared.text("errmsg")).isEqualTo("ok");
            token = client.classicToken(APP, SECRET).text("access_token");
        }

        // when an 11th clear comes in the same month, then it is refused
        assertThat(client.postJson("/cgi-bin/clear_quota", Map.of("appid", APP), "access_token", token)
                        .errcode())
                .isEqualTo(48006);
        assertThat(client.postJson("/cgi-bin/clear_quota/v2", Map.of("appid", APP, "appsecret", SECRET))
                        .errcode())
                .isEqualTo(48006);
    }

    @Test
    void clearQuotaWithTheSecretWorksWhenNoTokenIsLeft() {
        // given a spent quota and no token
        sandbox.stop();
        sandbox = WeChatSandbox.start(
                        clock, SandboxSettings.builder().classicDailyQuota(0).build())
                .registerApp(APP, SECRET);
        client = new SandboxClient(sandbox.url());
        assertThat(client.classicToken(APP, SECRET).errcode()).isEqualTo(45009);

        // when / then
        assertThat(client.postJson("/cgi-bin/clear_quota/v2", Map.of("appid", APP, "appsecret", "wrong"))
                        .errcode())
                .isEqualTo(40125);
        assertThat(client.postJson("/cgi-bin/clear_quota/v2", Map.of("appid", APP, "appsecret", SECRET))
                        .errcode())
                .isZero();
        assertThat(client.get("/cgi-bin/clear_quota/v2").errcode()).isEqualTo(43002);
    }
}
