package io.tokencast.wxjava.open;

import me.chanjar.weixin.open.api.WxOpenComponentService;
import me.chanjar.weixin.open.api.impl.WxOpenServiceImpl;

/**
 * WxJava's {@code WxOpenServiceImpl} whose component service is a {@link TokencastWxOpenComponentService}: with a
 * {@link TokencastWxOpenConfigStorage}, neither the component token nor any authorizer token is ever fetched here.
 *
 * <pre>{@code
 * WxOpenService open = new TokencastWxOpenService();
 * open.setWxOpenConfigStorage(new TokencastWxOpenConfigStorage(tokenView, "wxcomponent0000001", Duration.ofSeconds(10)));
 * String token = open.getWxOpenComponentService().getWxMpServiceByAppid("wxauthorizer00001").getAccessToken();
 * }</pre>
 */
public class TokencastWxOpenService extends WxOpenServiceImpl {

    private final WxOpenComponentService componentService = new TokencastWxOpenComponentService(this);

    @Override
    public WxOpenComponentService getWxOpenComponentService() {
        return componentService;
    }
}
