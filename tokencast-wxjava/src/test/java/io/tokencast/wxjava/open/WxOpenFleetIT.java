package io.tokencast.wxjava.open;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tokencast.consumer.TokenView;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import io.tokencast.wxjava.FleetScenarios;
import java.time.Duration;
import me.chanjar.weixin.mp.api.WxMpService;
import me.chanjar.weixin.mp.config.WxMpConfigStorage;
import me.chanjar.weixin.mp.config.WxMpHostConfig;
import me.chanjar.weixin.open.api.impl.WxOpenMpServiceImpl;

/**
 * Ten open-platform services acting for one authorizer: the component token and the authorizer's token come from
 * the refresher (which holds the component secret, the verify ticket and the refresh token), none from them.
 */
class WxOpenFleetIT extends FleetScenarios<WxMpService> {

    // 43 characters, WeChat's EncodingAESKey length.
    private static final String AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

    private final String component = unique("wxc");
    private final String authorizer = unique("wxa");
    private final String secret = unique("component-secret-");
    private final String callbackToken = unique("callback-");

    @Override
    protected TokenKey startRefresher() {
        rig.sandbox.registerComponent(component, secret, AES_KEY, callbackToken, null);
        String refreshToken = rig.sandbox.registerAuthorizer(component, authorizer);
        rig.property("tokencast.open-platform.components[0].appid=" + component)
                .property("tokencast.open-platform.components[0].secret=" + secret)
                .property("tokencast.open-platform.components[0].encoding-aes-key=" + AES_KEY)
                .property("tokencast.open-platform.components[0].callback-token=" + callbackToken)
                .property("tokencast.open-platform.authorizers[0].component-appid=" + component)
                .property("tokencast.open-platform.authorizers[0].authorizer-appid=" + authorizer)
                .property("tokencast.open-platform.authorizers[0].refresh-token=" + refreshToken)
                .startRefresher();
        rig.sandbox.setTicketCallback(component, rig.callbackUrl(component));
        // One component token once the first ticket is in, then the authorizer's, fetched with it. The refresher
        // retries the authorizer on the virtual clock, so the clock moves on while it waits.
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            rig.clock.advance(Duration.ofSeconds(2));
            return tokenFetches() == 2;
        });
        return authorizerKey();
    }

    private TokenKey authorizerKey() {
        return TokenKey.of(TokenKind.WECHAT_AUTHORIZER_ACCESS_TOKEN, component + "." + authorizer);
    }

    /**
     * The authorizer's service as {@code getWxMpServiceByAppid} builds it; built here because WxJava caches those
     * in a static map per JVM, which would make the ten instances share one.
     */
    @Override
    protected WxMpService tokencastService(TokenView view) {
        TokencastWxOpenService open = new TokencastWxOpenService();
        TokencastWxOpenConfigStorage storage =
                new TokencastWxOpenConfigStorage(view, component, Duration.ofSeconds(20));
        open.setWxOpenConfigStorage(storage);
        WxMpConfigStorage inner = storage.getWxMpConfigStorage(authorizer);
        String url = rig.sandbox.url().toString();
        inner.setHostConfig(new WxMpHostConfig(url, url, url));
        return new WxOpenMpServiceImpl(open.getWxOpenComponentService(), authorizer, inner);
    }

    @Override
    protected void businessCall(WxMpService service) throws Exception {
        assertThat(service.getCallbackIP()).isNotEmpty();
    }

    /** The merchant's token dies at WeChat (e.g. another party refreshed it); nobody tells tokencast. */
    @Override
    protected void killTokenBehindTokencastsBack() {
        rig.sandbox.invalidateTokens(component + "." + authorizer);
    }
}
