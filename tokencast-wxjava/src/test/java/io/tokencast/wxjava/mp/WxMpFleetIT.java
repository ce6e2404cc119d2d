package io.tokencast.wxjava.mp;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokencast.consumer.TokenView;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import io.tokencast.wxjava.FleetScenarios;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import me.chanjar.weixin.mp.api.WxMpService;
import me.chanjar.weixin.mp.api.impl.WxMpServiceImpl;
import me.chanjar.weixin.mp.config.WxMpHostConfig;
import me.chanjar.weixin.mp.config.impl.WxMpDefaultConfigImpl;
import org.junit.jupiter.api.Test;

/**
 * Ten official-account services on WxJava: the shared scenarios, plus the negative control that shows stock
 * WxJava fetching for itself in the same storm (so the scenarios can fail).
 */
class WxMpFleetIT extends FleetScenarios<WxMpService> {

    private static final Duration OVERLAP = Duration.ofSeconds(300);

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
    protected WxMpService tokencastService(TokenView view) {
        TokencastWxMpConfigStorage storage = new TokencastWxMpConfigStorage(view, appid, Duration.ofSeconds(20));
        storage.setHostConfig(sandboxHosts());
        WxMpService service = new TokencastWxMpService();
        service.setWxMpConfigStorage(storage);
        return service;
    }

    @Override
    protected void businessCall(WxMpService service) throws Exception {
        assertThat(service.getCallbackIP()).isNotEmpty();
    }

    /** A third party with the AppSecret fetches a classic token; the refresher's dies after the overlap. */
    @Override
    protected void killTokenBehindTokencastsBack() {
        fetchBehindTokencastsBack(appid, secret);
        rig.clock.advance(OVERLAP.plusSeconds(1));
    }

    @Test
    void stockWxJavaInTheSameStormFetchesForItself() throws Exception {
        startRefresher();
        List<WxMpService> services = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            services.add(stockService());
        }
        for (WxMpService service : services) {
            businessCall(service);
        }
        long afterWarmUp = tokenFetches();
        assertThat(afterWarmUp)
                .as("the refresher's fetch and one per stock instance")
                .isEqualTo(1 + INSTANCES);

        killTokenBehindTokencastsBack();
        storm(services, 1);

        assertThat(tokenFetches() - afterWarmUp)
                .as("fetches the stock instances made for the invalidation")
                .isGreaterThanOrEqualTo(INSTANCES);
    }

    private WxMpService stockService() {
        WxMpDefaultConfigImpl storage = new WxMpDefaultConfigImpl();
        storage.setAppId(appid);
        storage.setSecret(secret);
        storage.setHostConfig(sandboxHosts());
        WxMpService service = new WxMpServiceImpl();
        service.setWxMpConfigStorage(storage);
        return service;
    }

    private WxMpHostConfig sandboxHosts() {
        String url = rig.sandbox.url().toString();
        return new WxMpHostConfig(url, url, url);
    }
}
