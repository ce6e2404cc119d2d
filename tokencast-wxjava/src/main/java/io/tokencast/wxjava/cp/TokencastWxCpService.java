package io.tokencast.wxjava.cp;

import io.tokencast.wxjava.ViewCredential;
import me.chanjar.weixin.common.error.WxErrorException;
import me.chanjar.weixin.cp.api.impl.WxCpServiceImpl;

/**
 * WxJava's {@code WxCpServiceImpl} that never calls WeCom's {@code gettoken} for an application stored in a
 * {@link TokencastWxCpConfigStorage}: {@code getAccessToken(false)} reads the token view,
 * {@code getAccessToken(true)} reports the current token and waits, bounded, for the refresher's next one. The
 * corp's and the app's jsapi tickets are read the same way where the refresher publishes them.
 *
 * <pre>{@code
 * WxCpService cp = new TokencastWxCpService();
 * cp.setWxCpConfigStorage(new TokencastWxCpConfigStorage(tokenView, "ww0123456789", 1000002, Duration.ofSeconds(10)));
 * }</pre>
 */
public class TokencastWxCpService extends WxCpServiceImpl {

    @Override
    public String getAccessToken(boolean forceRefresh) throws WxErrorException {
        if (getWxCpConfigStorage() instanceof TokencastWxCpConfigStorage storage) {
            ViewCredential token = storage.accessTokenCredential();
            return forceRefresh ? token.refreshed() : token.value();
        }
        return super.getAccessToken(forceRefresh);
    }

    @Override
    public String getJsapiTicket(boolean forceRefresh) throws WxErrorException {
        ViewCredential ticket = ticket(false);
        return ticket == null ? super.getJsapiTicket(forceRefresh) : read(ticket, forceRefresh);
    }

    @Override
    public String getAgentJsapiTicket(boolean forceRefresh) throws WxErrorException {
        ViewCredential ticket = ticket(true);
        return ticket == null ? super.getAgentJsapiTicket(forceRefresh) : read(ticket, forceRefresh);
    }

    /** The distributed ticket, or null where WxJava fetches it itself. */
    private ViewCredential ticket(boolean agent) {
        return getWxCpConfigStorage() instanceof TokencastWxCpConfigStorage storage
                ? storage.ticketCredential(agent)
                : null;
    }

    private static String read(ViewCredential ticket, boolean forceRefresh) {
        return forceRefresh ? ticket.refreshed() : ticket.value();
    }
}
