package io.tokencast.wxjava.cp;

import io.tokencast.consumer.TokenView;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import io.tokencast.wxjava.ViewCredential;
import java.time.Duration;
import java.util.Objects;
import me.chanjar.weixin.common.bean.WxAccessToken;
import me.chanjar.weixin.cp.config.impl.WxCpDefaultConfigImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code WxCpConfigStorage} for one WeCom application whose access token comes from the tokencast
 * {@link TokenView}: key {@code wecom-access-token/<corpid>.<agentid>}. The corp's jsapi ticket comes from
 * {@code wecom-jsapi-ticket/<corpid>} and the app's ({@code agent_config}) from
 * {@code wecom-agent-jsapi-ticket/<corpid>.<agentid>} where the refresher publishes them; where it does not, they
 * stay with WxJava, fetched with the distributed access token. {@link #expireAccessToken()}
 * (WxJava calls it after 40001, 40014 or 42001) reports the current fingerprint and waits, bounded, for the next
 * token; updates fetched elsewhere are ignored. Pair it with {@link TokencastWxCpService}.
 */
public class TokencastWxCpConfigStorage extends WxCpDefaultConfigImpl {

    private static final Logger log = LoggerFactory.getLogger(TokencastWxCpConfigStorage.class);

    private final transient ViewCredential accessToken;
    private final transient ViewCredential jsapiTicket;
    private final transient ViewCredential agentJsapiTicket;

    /**
     * @param awaitNext how long a forced refresh or an expiry waits for the refresher's next token
     */
    public TokencastWxCpConfigStorage(TokenView view, String corpId, int agentId, Duration awaitNext) {
        Objects.requireNonNull(view, "view");
        setCorpId(Objects.requireNonNull(corpId, "corpId"));
        setAgentId(agentId);
        this.accessToken =
                new ViewCredential(view, TokenKey.of(TokenKind.WECOM_ACCESS_TOKEN, corpId + "." + agentId), awaitNext);
        this.jsapiTicket = new ViewCredential(view, TokenKey.of(TokenKind.WECOM_JSAPI_TICKET, corpId), awaitNext);
        this.agentJsapiTicket = new ViewCredential(
                view, TokenKey.of(TokenKind.WECOM_AGENT_JSAPI_TICKET, corpId + "." + agentId), awaitNext);
    }

    /**
     * The ticket tokencast distributes, the corp's ({@code agent == false}) or the app's, or null where WxJava keeps
     * handling it (a ticket the refresher does not publish).
     */
    public ViewCredential ticketCredential(boolean agent) {
        ViewCredential ticket = agent ? agentJsapiTicket : jsapiTicket;
        return ticket.isDistributed() ? ticket : null;
    }

    /** The access token as tokencast serves it. */
    public ViewCredential accessTokenCredential() {
        return accessToken;
    }

    @Override
    public String getAccessToken() {
        return accessToken.value();
    }

    @Override
    public boolean isAccessTokenExpired() {
        return accessToken.isExpired();
    }

    @Override
    public long getExpiresTime() {
        return accessToken.expiresAtMillis();
    }

    @Override
    public void expireAccessToken() {
        accessToken.awaitReplacement(ViewCredential.UNSPECIFIED_INVALID_ERRCODE);
    }

    @Override
    public synchronized void updateAccessToken(WxAccessToken token) {
        ignoredUpdate();
    }

    @Override
    public synchronized void updateAccessToken(String token, int expiresInSeconds) {
        ignoredUpdate();
    }

    @Override
    public String getJsapiTicket() {
        ViewCredential ticket = ticketCredential(false);
        return ticket == null ? super.getJsapiTicket() : ticket.value();
    }

    @Override
    public boolean isJsapiTicketExpired() {
        ViewCredential ticket = ticketCredential(false);
        return ticket == null ? super.isJsapiTicketExpired() : ticket.isExpired();
    }

    @Override
    public void expireJsapiTicket() {
        ViewCredential ticket = ticketCredential(false);
        if (ticket == null) {
            super.expireJsapiTicket();
        } else {
            ticket.awaitReplacement(ViewCredential.UNSPECIFIED_INVALID_ERRCODE);
        }
    }

    @Override
    public synchronized void updateJsapiTicket(String ticket, int expiresInSeconds) {
        if (ticketCredential(false) == null) {
            super.updateJsapiTicket(ticket, expiresInSeconds);
        } else {
            ignoredUpdate(jsapiTicket);
        }
    }

    @Override
    public String getAgentJsapiTicket() {
        ViewCredential ticket = ticketCredential(true);
        return ticket == null ? super.getAgentJsapiTicket() : ticket.value();
    }

    @Override
    public boolean isAgentJsapiTicketExpired() {
        ViewCredential ticket = ticketCredential(true);
        return ticket == null ? super.isAgentJsapiTicketExpired() : ticket.isExpired();
    }

    @Override
    public void expireAgentJsapiTicket() {
        ViewCredential ticket = ticketCredential(true);
        if (ticket == null) {
            super.expireAgentJsapiTicket();
        } else {
            ticket.awaitReplacement(ViewCredential.UNSPECIFIED_INVALID_ERRCODE);
        }
    }

    @Override
    public void updateAgentJsapiTicket(String ticket, int expiresInSeconds) {
        if (ticketCredential(true) == null) {
            super.updateAgentJsapiTicket(ticket, expiresInSeconds);
        } else {
            ignoredUpdate(agentJsapiTicket);
        }
    }

    private void ignoredUpdate() {
        ignoredUpdate(accessToken);
    }

    private void ignoredUpdate(ViewCredential credential) {
        log.warn(
                "wxjava ignored a credential fetched outside tokencast key={}; the refresher's stays in use."
                        + " Build the service as TokencastWxCpService so that nothing fetches.",
                credential.key());
    }

    @Override
    public String toString() {
        return "TokencastWxCpConfigStorage[key=" + accessToken.key() + "]";
    }
}
