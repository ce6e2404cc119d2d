package io.tokencast.testkit.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokencast.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WeComTokenTest extends SandboxTest {

    private static final String CORP = "ww0000000000000003";
    private static final String AGENT = "1000002";
    private static final String SECRET = "agent-secret-3";
    private static final String ACCOUNT = CORP + "." + AGENT;
    private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T02:00:00Z"));

    @Override
    WeChatSandbox startSandbox() {
        return WeChatSandbox.start(clock).registerWeComApp(CORP, AGENT, SECRET);
    }

    @Test
    void gettokenReturnsTheSameTokenWhileValidWithErrcodeZero() {
        // given
        SandboxClient.Response first = gettoken(SECRET);

        // when
        clock.advance(Duration.ofMinutes(30));
        SandboxClient.Response again = gettoken(SECRET);

        // then
        assertThat(first.json().propertyNames()).containsExactly("errcode", "errmsg", "access_token", "expires_in");
        assertThat(first.errcode()).isZero();
        assertThat(first.text("errmsg")).isEqualTo("ok");
        assertThat(again.text("access_token")).isEqualTo(first.text("access_token"));
        assertThat(again.expiresIn()).isEqualTo(7200 - 1800);
        assertThat(sandbox.tokensIssued(ACCOUNT, WeChatEndpoint.WECOM_GETTOKEN)).isEqualTo(1);
    }

    @Test
    void gettokenMintsANewTokenOnceTheOldOneExpired() {
        // given
        String first = gettoken(SECRET).text("access_token");

        // when
        clock.advance(Duration.ofSeconds(7200));
        String second = gettoken(SECRET).text("access_token");

        // then
        assertThat(second).isNotEqualTo(first);
        assertThat(client.callbackIp(first).errcode()).isEqualTo(42001);
        SandboxClient.Response probe = client.callbackIp(second);
        assertThat(probe.errcode()).isZero();
        assertThat(probe.text("errmsg")).isEqualTo("ok");
    }

    @Test
    void badCorpOrSecretAnswersWeComErrcodesWithHintAndIp() {
        // when
        SandboxClient.Response badCorp = client.get("/cgi-bin/gettoken", "corpid", "ww-unknown", "corpsecret", SECRET);
        SandboxClient.Response badSecret = gettoken("wrong");

        // then
        assertThat(badCorp.errcode()).isEqualTo(40013);
        assertThat(badCorp.text("errmsg"))
                .matches("invalid corpid, hint: \\[\\d+\\], from ip: 127\\.0\\.0\\.1, more info at "
                        + "https://open\\.work\\.weixin\\.qq\\.com/devtool/query\\?e=40013");
        assertThat(badSecret.errcode()).isEqualTo(40001);
        assertThat(client.get("/cgi-bin/gettoken", "corpsecret", SECRET).errcode())
                .isEqualTo(41002);
        assertThat(client.get("/cgi-bin/gettoken", "corpid", CORP).errcode()).isEqualTo(41004);
    }

    @Test
    void earlyInvalidationKillsTheTokenAndTheNextGettokenMintsANewOne() {
        // given
        String token = gettoken(SECRET).text("access_token");

        // when WeCom invalidates tokens "for operational reasons"
        sandbox.invalidateTokens(ACCOUNT);

        // then
        SandboxClient.Response probe = client.callbackIp(token);
        assertThat(probe.errcode()).isEqualTo(40001);
        assertThat(probe.text("errmsg")).contains("from ip: 127.0.0.1");
        assertThat(gettoken(SECRET).text("access_token")).isNotEqualTo(token);
    }

    private SandboxClient.Response gettoken(String secret) {
        return client.get("/cgi-bin/gettoken", "corpid", CORP, "corpsecret", secret);
    }
}
