package io.tokencast.wxjava.mp;

import io.tokencast.wxjava.ViewCredential;
import me.chanjar.weixin.common.enums.TicketType;
import me.chanjar.weixin.common.error.WxErrorException;
import me.chanjar.weixin.mp.api.impl.WxMpServiceImpl;
import me.chanjar.weixin.mp.config.WxMpConfigStorage;

/**
 * WxJava's {@code WxMpServiceImpl} that never calls WeChat's token endpoints for an account stored in a
 * {@link TokencastWxMpConfigStorage}: {@code getAccessToken(false)} reads the token view, and
 * {@code getAccessToken(true)} reports the current token and waits, bounded, for the refresher's next one. Business
 * calls, WxJava's single retry after 40001 included, work unchanged. Accounts in other storages (a multi-account
 * service) keep WxJava's own behaviour.
 *
 * <pre>{@code
 * WxMpService mp = new TokencastWxMpService();
 * mp.setWxMpConfigStorage(new TokencastWxMpConfigStorage(tokenView, "wx0123456789abcdef", Duration.ofSeconds(10)));
 * }</pre>
 */
public class TokencastWxMpService extends WxMpServiceImpl {

    @Override
    public String getAccessToken(boolean forceRefresh) throws WxErrorException {
        if (getWxMpConfigStorage() instanceof TokencastWxMpConfigStorage storage) {
            ViewCredential token = storage.accessTokenCredential();
            return forceRefresh ? token.refreshed() : token.value();
        }
        return super.getAccessToken(forceRefresh);
    }

    @Override
    public String getTicket(TicketType type, boolean forceRefresh) throws WxErrorException {
        if (getWxMpConfigStorage() instanceof TokencastWxMpConfigStorage storage) {
            ViewCredential ticket = storage.ticketCredential(type);
            if (ticket != null) {
                return forceRefresh ? ticket.refreshed() : ticket.value();
            }
        }
        return super.getTicket(type, forceRefresh);
    }

    @Override
    protected String doGetAccessTokenRequest() throws java.io.IOException {
        refuseFetch(getWxMpConfigStorage());
        return super.doGetAccessTokenRequest();
    }

    @Override
    protected String doGetStableAccessTokenRequest(boolean forceRefresh) throws java.io.IOException {
        refuseFetch(getWxMpConfigStorage());
        return super.doGetStableAccessTokenRequest(forceRefresh);
    }

    // Unreachable through getAccessToken above; a guard against WxJava versions that fetch from elsewhere.
    static void refuseFetch(WxMpConfigStorage storage) {
        if (storage instanceof TokencastWxMpConfigStorage tokencast) {
            throw new IllegalStateException(
                    "tokencast never fetches a token for " + tokencast.getAppId() + ": the refresher does (key "
                            + tokencast.accessTokenCredential().key() + ")");
        }
    }
}
