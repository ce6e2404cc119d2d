package io.tokencast.wxjava.miniapp;

import static org.assertj.core.api.Assertions.assertThat;

import cn.binarywang.wx.miniapp.api.WxMaService;
import io.tokencast.consumer.TokenView;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import io.tokencast.wxjava.FleetScenarios;
import java.time.Duration;

/** Ten mini-program services on WxJava, the shared scenarios. */
class WxMaFleetIT extends FleetScenarios<WxMaService> {

    private final String appid = unique("wx");
    private final String secret = unique("secret-");

    @Override
    protected TokenKey startRefresher() {
        rig.sandbox.registerApp(appid, secret);
        rig.credential("wechat-access-token", appid, secret, "classic").startRefresher();
        awaitRefresherFetch();
        return TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, appid);
    }

    @Override
    protected WxMaService tokencastService(TokenView view) {
        TokencastWxMaConfig config = new TokencastWxMaConfig(view, appid, Duration.ofSeconds(20));
        config.setApiHostUrl(rig.sandbox.url().toString());
        WxMaService service = new TokencastWxMaService();
        service.setWxMaConfig(config);
        return service;
    }

    @Override
    protected void businessCall(WxMaService service) throws Exception {
        assertThat(service.get("https://api.weixin.qq.com/cgi-bin/getcallbackip", null))
                .contains("ip_list");
    }

    @Override
    protected void killTokenBehindTokencastsBack() {
        fetchBehindTokencastsBack(appid, secret);
        rig.clock.advance(Duration.ofSeconds(301));
    }
}
