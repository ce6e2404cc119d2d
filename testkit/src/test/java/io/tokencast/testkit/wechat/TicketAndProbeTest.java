package io.tokencast.testkit.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokencast.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TicketAndProbeTest extends SandboxTest {

    private static final String APP = "wx0000000000000004";
    private static final String SECRET = "app-secret-4";
    private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T02:00:00Z"));

    @Override
    WeChatSandbox startSandbox() {
        return WeChatSandbox.start(clock).registerApp(APP, SECRET);
    }

    @Test
    void getticketReturnsTheSameTicketWhileValidWithAFullExpiresIn() {
        // given
        String token = client.classicToken(APP, SECRET).text("access_token");
        SandboxClient.Response first = ticket(token, "jsapi");

        // when
        clock.advance(Duration.ofMinutes(20));
        SandboxClient.Response again = ticket(token, "jsapi");

        // then
        assertThat(first.errcode()).isZero();
        assertThat(first.text("errmsg")).isEqualTo("ok");
        assertThat(again.text("ticket")).isEqualTo(first.text("ticket"));
        assertThat(again.expiresIn()).isEqualTo(7200);
        assertThat(sandbox.checkTicket(first.text("ticket"))).isZero();
    }

    @Test
    void jsapiAndCardTicketsAreSeparateAndAStableTokenWorksToo() {
        // given
        String stable = client.stableToken(APP, SECRET, false).text("access_token");

        // when
        String jsapi = ticket(stable, "jsapi").text("ticket");
        String card = ticket(stable, "wx_card").text("ticket");

        // then
        assertThat(card).isNotEqualTo(jsapi);
        assertThat(ticket(stable, "bogus").errcode()).isEqualTo(40097);
        assertThat(sandbox.tokensIssued(APP, WeChatEndpoint.GET_TICKET)).isEqualTo(2);
    }

    @Test
    void ticketExpiresAfterItsLifetimeAndANewOneIsIssued() {
        // given
        String token = client.stableToken(APP, SECRET, false).text("access_token");
        String ticket = ticket(token, "jsapi").text("ticket");

        // when
        clock.advance(Duration.ofSeconds(7200));
        String fresh = client.stableToken(APP, SECRET, false).text("access_token");

        // then
        assertThat(sandbox.checkTicket(ticket)).isEqualTo(42001);
        assertThat(ticket(fresh, "jsapi").text("ticket")).isNotEqualTo(ticket);
        assertThat(sandbox.checkTicket("no-such-ticket")).isEqualTo(40001);
    }

    @Test
    void getticketRefusesDeadTokens() {
        // given a superseded token, then an expired one
        String superseded = client.classicToken(APP, SECRET).text("access_token");
        client.classicToken(APP, SECRET);
        client.classicToken(APP, SECRET);
        String expiring = client.stableToken(APP, SECRET, false).text("access_token");

        // when / then
        assertThat(ticket(superseded, "jsapi").errcode()).isEqualTo(40001);
        clock.advance(Duration.ofSeconds(7200));
        assertThat(ticket(expiring, "jsapi").errcode()).isEqualTo(42001);
        assertThat(client.get("/cgi-bin/ticket/getticket", "type", "jsapi").errcode())
                .isEqualTo(41001);
    }

    @Test
    void getcallbackipJudgesTokensLikeABusinessApi() {
        // given
        String token = client.classicToken(APP, SECRET).text("access_token");

        // when / then
        SandboxClient.Response ok = client.callbackIp(token);
        assertThat(ok.errcode()).isZero();
        assertThat(ok.json().path("ip_list").isArray()).isTrue();
        assertThat(client.get("/cgi-bin/getcallbackip").errcode()).isEqualTo(41001);
        assertThat(client.callbackIp("84_forged").errcode()).isEqualTo(40001);
        assertThat(sandbox.checkToken(token)).isZero();
        assertThat(sandbox.checkToken(null)).isEqualTo(41001);
    }

    @Test
    void aTicketIsNotAnAccessToken() {
        // given
        String token = client.classicToken(APP, SECRET).text("access_token");
        String ticket = ticket(token, "jsapi").text("ticket");

        // when / then
        assertThat(client.callbackIp(ticket).errcode()).isEqualTo(40001);
    }

    private SandboxClient.Response ticket(String accessToken, String type) {
        return client.get("/cgi-bin/ticket/getticket", "access_token", accessToken, "type", type);
    }
}
