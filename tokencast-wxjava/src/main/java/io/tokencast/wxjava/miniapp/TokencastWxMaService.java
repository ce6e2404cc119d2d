package io.tokencast.wxjava.miniapp;

import cn.binarywang.wx.miniapp.api.impl.WxMaServiceImpl;
import cn.binarywang.wx.miniapp.config.WxMaConfig;
import io.tokencast.wxjava.ViewCredential;
import java.io.IOException;
import me.chanjar.weixin.common.error.WxErrorException;

/**
 * WxJava's {@code WxMaServiceImpl} that never calls WeChat's token endpoints for a mini program configured with
 * a {@link TokencastWxMaConfig}: {@code getAccessToken(false)} reads the token view, {@code getAccessToken(true)}
 * reports the current token and waits, bounded, for the refresher's next one. Other configs of a multi-app
 * service keep WxJava's behaviour.
 *
 * <pre>{@code
 * WxMaService ma = new TokencastWxMaService();
 * ma.setWxMaConfig(new TokencastWxMaConfig(tokenView, "wx0123456789abcdef", Duration.ofSeconds(10)));
 * }</pre>
 */
public class TokencastWxMaService extends WxMaServiceImpl {

    @Override
    public String getAccessToken(boolean forceRefresh) throws WxErrorException {
        if (getWxMaConfig() instanceof TokencastWxMaConfig config) {
            ViewCredential token = config.accessTokenCredential();
            return forceRefresh ? token.refreshed() : token.value();
        }
        return super.getAccessToken(forceRefresh);
    }

    @Override
    protected String doGetAccessTokenRequest() throws IOException {
        refuseFetch(getWxMaConfig());
        return super.doGetAccessTokenRequest();
    }

    @Override
    protected String doGetStableAccessTokenRequest(boolean forceRefresh) throws IOException {
        refuseFetch(getWxMaConfig());
        return super.doGetStableAccessTokenRequest(forceRefresh);
    }

    // Unreachable through getAccessToken above; a guard against WxJava versions that fetch from elsewhere.
    private static void refuseFetch(WxMaConfig config) {
        if (config instanceof TokencastWxMaConfig tokencast) {
            throw new IllegalStateException(
                    "tokencast never fetches a token for " + tokencast.getAppid() + ": the refresher does (key "
                            + tokencast.accessTokenCredential().key() + ")");
        }
    }
}
