package io.tokencast.wxjava.open;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokencast.consumer.FakeTokenView;
import io.tokencast.schema.Fingerprint;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import java.time.Duration;
import java.util.UUID;
import me.chanjar.weixin.open.api.WxOpenService;
import org.junit.jupiter.api.Test;

class TokencastWxOpenServiceTest {

    // WxJava keeps authorizer services in a static map by appid: unique appids keep tests apart.
    private final String component =
            "wxc" + UUID.randomUUID().toString().replace("-", "").substring(0, 15);
    private final String authorizer =
            "wxa" + UUID.randomUUID().toString().replace("-", "").substring(0, 15);
    private final TokenKey componentKey = TokenKey.of(TokenKind.WECHAT_COMPONENT_ACCESS_TOKEN, component);
    private final TokenKey authorizerKey =
            TokenKey.of(TokenKind.WECHAT_AUTHORIZER_ACCESS_TOKEN, component + "." + authorizer);

    private final FakeTokenView view = new FakeTokenView();
    private final TokencastWxOpenConfigStorage storage =
            new TokencastWxOpenConfigStorage(view, component, Duration.ofMillis(300));
    private final WxOpenService open = new TokencastWxOpenService();

    TokencastWxOpenServiceTest() {
        open.setWxOpenConfigStorage(storage);
    }

    @Test
    void componentAndAuthorizerTokensComeFromTheView() throws Exception {
        view.put(componentKey, "component-1");
        view.put(authorizerKey, "authorizer-1");

        assertThat(open.getWxOpenComponentService().getComponentAccessToken(false))
                .isEqualTo("component-1");
        assertThat(open.getWxOpenComponentService().getAuthorizerAccessToken(authorizer, false))
                .isEqualTo("authorizer-1");
        assertThat(open.getWxOpenComponentService()
                        .getWxMpServiceByAppid(authorizer)
                        .getAccessToken())
                .isEqualTo("authorizer-1");
        assertThat(storage.getWxMpConfigStorage(authorizer).getAccessToken()).isEqualTo("authorizer-1");
    }

    @Test
    void aForcedComponentRefreshIsAReportNotAFetch() throws Exception {
        view.put(componentKey, "component-1");
        view.onReport(report -> view.put(componentKey, "component-2"));

        assertThat(open.getWxOpenComponentService().getComponentAccessToken(true))
                .isEqualTo("component-2");
        assertThat(view.reports()).singleElement().satisfies(r -> {
            assertThat(r.tokenKey()).isEqualTo(componentKey);
            assertThat(r.ifFingerprint()).isEqualTo(Fingerprint.of("component-1"));
        });
    }

    @Test
    void anExpiredAuthorizerTokenAfter40001WaitsForTheNextOne() {
        view.put(authorizerKey, "authorizer-1");
        view.onReport(report -> view.put(authorizerKey, "authorizer-2"));

        // What WxJava's authorizer service does after a 40001: expire through its inner mp storage.
        storage.getWxMpConfigStorage(authorizer).expireAccessToken();

        assertThat(storage.getAuthorizerAccessToken(authorizer)).isEqualTo("authorizer-2");
    }

    @Test
    void tokensFetchedElsewhereAreIgnored() {
        view.put(componentKey, "component-1");

        storage.updateComponentAccessToken("rogue", 7200);

        assertThat(storage.getComponentAccessToken()).isEqualTo("component-1");
        assertThat(storage.toString()).doesNotContain("component-1");
    }
}
