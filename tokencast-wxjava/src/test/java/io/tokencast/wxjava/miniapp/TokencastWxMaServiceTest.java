package io.tokencast.wxjava.miniapp;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokencast.consumer.FakeTokenView;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TokencastWxMaServiceTest {

    private static final String APPID = "wx00000000000000ma";
    private static final TokenKey KEY = TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, APPID);
    private static final TokenKey JSAPI = TokenKey.of(TokenKind.WECHAT_JSAPI_TICKET, APPID);

    private final FakeTokenView view = new FakeTokenView();
    private final TokencastWxMaConfig config = new TokencastWxMaConfig(view, APPID, Duration.ofMillis(300));
    private final TokencastWxMaService service = new TokencastWxMaService();

    TokencastWxMaServiceTest() {
        service.setWxMaConfig(config);
    }

    @Test
    void readsTheViewAndTreatsAForcedRefreshAsAHint() throws Exception {
        view.put(KEY, "token-1");
        view.onReport(report -> view.put(KEY, "token-2"));

        assertThat(service.getAccessToken()).isEqualTo("token-1");
        assertThat(service.getAccessToken(true)).isEqualTo("token-2");
        assertThat(config.getExpiresTime())
                .isEqualTo(view.token(KEY).expiresAt().toEpochMilli());
    }

    @Test
    void aForcedTicketRefreshWaitsForTheRefreshersNextTicket() throws Exception {
        view.put(KEY, "token-1");
        view.put(JSAPI, "ticket-1");
        view.onReport(report -> view.put(JSAPI, "ticket-2"));

        assertThat(service.getJsapiService().getJsapiTicket()).isEqualTo("ticket-1");
        assertThat(service.getJsapiService().getJsapiTicket(true)).isEqualTo("ticket-2");
    }
}
