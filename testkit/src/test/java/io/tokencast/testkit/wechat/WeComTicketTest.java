package io.tokencast.testkit.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokencast.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WeComTicketTest extends SandboxTest {

    private static final String CORP = "ww0000000000000005";
    private static final String AGENT = "1000002";
    private static final String OTHER_AGENT = "1000003";
    private static final String SECRET = "agent-secret-5";
    private static final String OTHER_SECRET = "agent-secret-6";
    private static final String APP = CORP + "." + AGENT;
    private static final String CORP_TICKET = "/cgi-bin/get_jsapi_ticket";
    private static final String AGENT_TICKET = "/cgi-bin/ticket/get";
    private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T02:00:00Z"));

    @Override
    WeChatSandbox startSandbox() {
        return WeChatSandbox.start(clock, SandboxSettings.builder().build())
                .registerWeComApp(CORP, AGENT, SECRET)
                .registerWeComApp(CORP, OTHER_AGENT, OTHER_SECRET);
    }

    @Test
    void bothTicketsAnswerInWeComsShapeAndRepeatWhileValidWithTheRemainingLife() {
        // given
        String token = gettoken(SECRET);
        SandboxClient.Response corp = client.get(CORP_TICKET, "access_token", token);
        SandboxClient.Response agent = agentTicket(token);

        // when
        clock.advance(Duration.ofMinutes(30));
        SandboxClient.Response corpAgain = client.get(CORP_TICKET, "access_token", token);

        // then
        assertThat(corp.json().propertyNames()).containsExactly("errcode", "errmsg", "ticket", "expires_in");
        assertThat(corp.errcode()).isZero();
        assertThat(corp.text("errmsg")).isEqualTo("ok");
        assertThat(corp.expiresIn()).isEqualTo(7200);
        assertThat(agent.json().propertyNames()).containsExactly("errcode", "errmsg", "ticket", "expires_in");
        assertThat(agent.text("ticket")).isNotEqualTo(corp.text("ticket"));
        assertThat(corpAgain.text("ticket")).isEqualTo(corp.text("ticket"));
        assertThat(corpAgain.expiresIn()).isEqualTo(7200 - 1800);
        assertThat(sandbox.checkTicket(agent.text("ticket"))).isZero();
        assertThat(sandbox.tokensIssued(CORP, WeChatEndpoint.WECOM_GET_JSAPI_TICKET))
                .isEqualTo(1);
        assertThat(sandbox.tokensIssued(APP, WeChatEndpoint.WECOM_AGENT_TICKET)).isEqualTo(1);
    }

    @Test
    void theCorpTicketIsSharedByTheCorpsAppsAndTheAgentTicketIsPerApp() {
        // given
        String token = gettoken(SECRET);
        String other = gettoken(OTHER_SECRET);

        // when / then
        assertThat(client.get(CORP_TICKET, "access_token", other).text("ticket"))
                .isEqualTo(client.get(CORP_TICKET, "access_token", token).text("ticket"));
        assertThat(agentTicket(other).text("ticket"))
                .isNotEqualTo(agentTicket(token).text("ticket"));
    }

    @Test
    void aTicketInItsLastOverlapIsSucceededWhileTheOldOneWorksToItsEnd() {
        // given
        String token = gettoken(SECRET);
        String first = agentTicket(token).text("ticket");

        // when
        clock.advance(Duration.ofSeconds(7200 - 200));
        String fresh = gettoken(SECRET);
        SandboxClient.Response next = agentTicket(fresh);

        // then
        assertThat(next.text("ticket")).isNotEqualTo(first);
        assertThat(next.expiresIn()).isEqualTo(7200);
        assertThat(sandbox.checkTicket(first)).isZero();
        clock.advance(Duration.ofSeconds(200));
        assertThat(sandbox.checkTicket(first)).isEqualTo(42001);
    }

    @Test
    void tokenChecksAnswerWeComErrcodes() {
        // given
        String token = gettoken(SECRET);
        String wechatLike = "not-a-wecom-token";

        // when
        SandboxClient.Response missing = client.get(CORP_TICKET);
        SandboxClient.Response unknown = client.get(CORP_TICKET, "access_token", wechatLike);
        SandboxClient.Response wrongType = client.get(AGENT_TICKET, "access_token", token, "type", "jsapi");
        sandbox.invalidateTokens(APP);
        SandboxClient.Response invalidated = agentTicket(token);
        clock.advance(Duration.ofSeconds(7200));
        SandboxClient.Response expired = client.get(CORP_TICKET, "access_token", gettoken(SECRET));
        String stale = gettoken(SECRET);
        clock.advance(Duration.ofSeconds(7200));
        SandboxClient.Response expiredToken = client.get(CORP_TICKET, "access_token", stale);

        // then
        assertThat(missing.errcode()).isEqualTo(41001);
        assertThat(missing.text("errmsg")).contains("hint: [").contains("from ip: 127.0.0.1");
        assertThat(unknown.errcode()).isEqualTo(40014);
        assertThat(wrongType.errcode()).isEqualTo(40097);
        assertThat(invalidated.errcode()).isEqualTo(40014);
        assertThat(expired.errcode()).isZero();
        assertThat(expiredToken.errcode()).isEqualTo(42001);
        assertThat(expiredToken.text("errmsg")).contains("more info at https://open.work.weixin.qq.com");
    }

    @Test
    void hourlyLimitsPerAppAndPerCorpAnswer45009UntilTheNextHour() {
        // given WeCom's limits, made small
        sandbox.stop();
        use(WeChatSandbox.start(
                        clock,
                        SandboxSettings.builder()
                                .wecomTicketHourlyPerApp(2)
                                .wecomTicketHourlyPerCorp(3)
                                .build())
                .registerWeComApp(CORP, AGENT, SECRET)
                .registerWeComApp(CORP, OTHER_AGENT, OTHER_SECRET));
        clock.set(Instant.parse("2025-03-01T03:00:00Z"));
        String token = gettoken(SECRET);
        String other = gettoken(OTHER_SECRET);

        // when
        assertThat(agentTicket(token).errcode()).isZero();
        assertThat(client.get(CORP_TICKET, "access_token", token).errcode()).isZero();
        SandboxClient.Response appSpent = agentTicket(token);
        assertThat(agentTicket(other).errcode()).isZero();
        SandboxClient.Response corpSpent = agentTicket(other);
        clock.advance(Duration.ofHours(1));

        // then
        assertThat(appSpent.errcode()).isEqualTo(45009);
        assertThat(appSpent.text("errmsg")).startsWith("api freq out of limit, hint: [");
        assertThat(corpSpent.errcode()).isEqualTo(45009);
        assertThat(agentTicket(gettoken(SECRET)).errcode()).isZero();
        assertThat(sandbox.calls(APP, WeChatEndpoint.WECOM_AGENT_TICKET)).isEqualTo(3);
    }

    private String gettoken(String secret) {
        return client.get("/cgi-bin/gettoken", "corpid", CORP, "corpsecret", secret)
                .text("access_token");
    }

    private SandboxClient.Response agentTicket(String token) {
        return client.get(AGENT_TICKET, "access_token", token, "type", "agent_config");
    }
}
