package io.tokencast.wxjava.open;

import io.tokencast.wxjava.ViewCredential;
import me.chanjar.weixin.common.error.WxErrorException;
import me.chanjar.weixin.open.api.WxOpenService;
import me.chanjar.weixin.open.api.impl.WxOpenComponentServiceImpl;

/**
 * WxJava's component service that never calls {@code api_component_token} or {@code api_authorizer_token} for a
 * component stored in a {@link TokencastWxOpenConfigStorage}: tokens come from the token view, and a forced
 * refresh reports the current token and waits, bounded, for the refresher's next one. The authorizer services it
 * hands out ({@code getWxMpServiceByAppid}, {@code getWxMaServiceByAppid}) ask it for their tokens, so they never
 * fetch either.
 */
public class TokencastWxOpenComponentService extends WxOpenComponentServiceImpl {

    public TokencastWxOpenComponentService(WxOpenService openService) {
        super(openService);
    }

    @Override
    public String getComponentAccessToken(boolean forceRefresh) throws WxErrorException {
        if (getWxOpenConfigStorage() instanceof TokencastWxOpenConfigStorage storage) {
            return read(storage.componentTokenCredential(), forceRefresh);
        }
        return super.getComponentAccessToken(forceRefresh);
    }

    @Override
    public String getAuthorizerAccessToken(String appId, boolean forceRefresh) throws WxErrorException {
        if (getWxOpenConfigStorage() instanceof TokencastWxOpenConfigStorage storage) {
            return read(storage.authorizerTokenCredential(appId), forceRefresh);
        }
        return super.getAuthorizerAccessToken(appId, forceRefresh);
    }

    private static String read(ViewCredential token, boolean forceRefresh) {
        return forceRefresh ? token.refreshed() : token.value();
    }
}
