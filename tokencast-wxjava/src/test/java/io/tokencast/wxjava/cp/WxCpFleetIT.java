package io.tokencast.wxjava.cp;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokencast.consumer.TokenView;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import io.tokencast.wxjava.FleetScenarios;
import java.time.Duration;
import me.chanjar.weixin.cp.api.WxCpService;

/** Ten WeCom application services on WxJava, the shared scenarios; WeCom kills tokens early on its own. */
class WxCpFleetIT extends FleetScenarios<WxCpService> {

    private static final int AGENT_ID = 1000002;

    private final String corpId = unique("ww");
    private final String secret = unique("corpsecret-");

    @Override
    protected TokenKey startRefresher() {
        rig.sandbox.registerWeComApp(corpId, String.valueOf(AGENT_ID), secret);
        rig.credential("wecom-access-token", account(), secret, "stable").startRefresher();
        awaitRefresherFetch();
        return TokenKey.of(TokenKind.WECOM_ACCESS_TOKEN, account());
    }

    @Override
    protected WxCpService tokencastService(TokenView view) {
        TokencastWxCpConfigStorage storage =
                new TokencastWxCpConfigStorage(view, corpId, AGENT_ID, Duration.ofSeconds(20));
        storage.setBaseApiUrl(rig.sandbox.url().toString());
        WxCpService service = new TokencastWxCpService();
        service.setWxCpConfigStorage(storage);
        return service;
    }

    @Override
    protected void businessCall(WxCpService service) throws Exception {
        assertThat(service.getCallbackIp()).isNotEmpty();
    }

    private String account() {
        return corpId + "." + AGENT_ID;
    }

    /**
     * WeCom may invalidate tokens early "for operational reasons" (docs/wechat-api.md §4.2); nobody tells
     * tokencast.
     */
    @Override
    protected void killTokenBehindTokencastsBack() {
        rig.sandbox.invalidateTokens(account());
    }
}
