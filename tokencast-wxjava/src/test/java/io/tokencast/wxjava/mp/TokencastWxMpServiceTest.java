package io.tokencast.wxjava.mp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokencast.consumer.FakeTokenView;
import io.tokencast.consumer.UnknownTokenException;
import io.tokencast.schema.Fingerprint;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import java.time.Duration;
import me.chanjar.weixin.common.enums.TicketType;
import org.junit.jupiter.api.Test;

class TokencastWxMpServiceTest {

    private static final String APPID = "wx0123456789abcdef";
    private static final TokenKey ACCESS = TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, APPID);
    private static final TokenKey JSAPI = TokenKey.of(TokenKind.WECHAT_JSAPI_TICKET, APPID);

    private final FakeTokenView view = new FakeTokenView();
    private final TokencastWxMpConfigStorage storage =
            new TokencastWxMpConfigStorage(view, APPID, Duration.ofMillis(300));
    private final TokencastWxMpService service = new TokencastWxMpService();

    TokencastWxMpServiceTest() {
        service.setWxMpConfigStorage(storage);
    }

    @Test
    void servesTheViewsTokenThroughTheServiceAndTheStorage() throws Exception {
        view.put(ACCESS, "token-1");

        assertThat(service.getAccessToken()).isEqualTo("token-1");
        assertThat(storage.getAccessToken()).isEqualTo("token-1");
        assertThat(storage.isAccessTokenExpired()).isFalse();
        assertThat(storage.getExpiresTime())
                .isEqualTo(view.token(ACCESS).expiresAt().toEpochMilli());
    }

    @Test
    void aForcedRefreshReportsTheFingerprintAndReturnsTheNextToken() throws Exception {
        view.put(ACCESS, "token-1");
        view.onReport(report -> view.put(ACCESS, "token-2"));

        assertThat(service.getAccessToken(true)).isEqualTo("token-2");
        assertThat(view.reports()).singleElement().satisfies(r -> {
            assertThat(r.tokenKey()).isEqualTo(ACCESS);
            assertThat(r.ifFingerprint()).isEqualTo(Fingerprint.of("token-1"));
        });
    }

    @Test
    void aNewerVersionWithTheSameFingerprintIsNotTheReplacement() {
        view.put(ACCESS, "token-1");
        view.onReport(report -> {
            if (view.reports().size() == 1) {
                view.put(ACCESS, "token-1"); // re-published, e.g. re-keyed: the same dead token
            } else {
                view.put(ACCESS, "token-2");
            }
        });

        storage.expireAccessToken();

        assertThat(storage.getAccessToken()).isEqualTo("token-2");
        assertThat(view.reports()).hasSize(2);
    }

    @Test
    void aForcedRefreshWithNoReplacementInTimeServesTheCurrentTokenAndFetchesNothing() throws Exception {
        view.put(ACCESS, "token-1");

        assertThat(service.getAccessToken(true)).isEqualTo("token-1");
        assertThat(view.reports()).hasSize(1);
    }

    @Test
    void aTokenTheViewCannotServeFailsClearlyInsteadOfFetching() {
        assertThat(storage.isAccessTokenExpired()).isTrue();
        assertThatThrownBy(() -> service.getAccessToken())
                .isInstanceOf(UnknownTokenException.class)
                .hasMessageContaining(ACCESS.asString());
    }

    @Test
    void tokensFetchedOutsideTokencastAreIgnored() {
        view.put(ACCESS, "token-1");

        storage.updateAccessToken("rogue", 7200);

        assertThat(storage.getAccessToken()).isEqualTo("token-1");
    }

    @Test
    void distributedTicketsComeFromTheViewOthersStayWithWxJava() throws Exception {
        view.put(ACCESS, "token-1");
        view.put(JSAPI, "ticket-1");

        assertThat(service.getJsapiTicket()).isEqualTo("ticket-1");
        assertThat(storage.getTicket(TicketType.JSAPI)).isEqualTo("ticket-1");
        assertThat(storage.ticketCredential(TicketType.WX_CARD)).isNull();
        storage.updateTicket(TicketType.WX_CARD, "card-from-wxjava", 7200);
        assertThat(storage.getTicket(TicketType.WX_CARD)).isEqualTo("card-from-wxjava");
    }

    @Test
    void printsNoToken() {
        view.put(ACCESS, "token-1");
        assertThat(storage.toString()).doesNotContain("token-1");
    }
}
