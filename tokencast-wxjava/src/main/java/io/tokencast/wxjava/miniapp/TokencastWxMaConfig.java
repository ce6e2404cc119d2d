package io.tokencast.wxjava.miniapp;

import cn.binarywang.wx.miniapp.config.impl.WxMaDefaultConfigImpl;
import io.tokencast.consumer.TokenView;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import io.tokencast.wxjava.ViewCredential;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code WxMaConfig} for a mini program whose access token (and jsapi / card tickets, where the refresher
 * publishes them) come from the tokencast {@link TokenView}: key {@code wechat-access-token/<appid>}. Everything
 * else is WxJava's default config. {@link #expireAccessToken()} and the ticket expiries report the current
 * fingerprint and wait, bounded, for the next token; updates fetched elsewhere are ignored. Pair it with
 * {@link TokencastWxMaService}, whose forced refresh is a hint too.
 */
public class TokencastWxMaConfig extends WxMaDefaultConfigImpl {

    private static final Logger log = LoggerFactory.getLogger(TokencastWxMaConfig.class);

    private final transient ViewCredential accessToken;
    private final transient ViewCredential jsapiTicket;
    private final transient ViewCredential cardTicket;

    /**
     * @param awaitNext how long a forced refresh or an expiry waits for the refresher's next token
     */
    public TokencastWxMaConfig(TokenView view, String appid, Duration awaitNext) {
        Objects.requireNonNull(view, "view");
        setAppid(Objects.requireNonNull(appid, "appid"));
        this.accessToken = new ViewCredential(view, TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, appid), awaitNext);
        this.jsapiTicket = new ViewCredential(view, TokenKey.of(TokenKind.WECHAT_JSAPI_TICKET, appid), awaitNext);
        this.cardTicket = new ViewCredential(view, TokenKey.of(TokenKind.WECHAT_CARD_TICKET, appid), awaitNext);
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
    public synchronized void updateAccessToken(String token, int expiresInSeconds) {
        ignoredUpdate("access token");
    }

    @Override
    public String getJsapiTicket() {
        return jsapiTicket.isDistributed() ? jsapiTicket.value() : super.getJsapiTicket();
    }

    @Override
    public boolean isJsapiTicketExpired() {
        return jsapiTicket.isDistributed() ? jsapiTicket.isExpired() : super.isJsapiTicketExpired();
    }

    @Override
    public void expireJsapiTicket() {
        if (jsapiTicket.isDistributed()) {
            jsapiTicket.awaitReplacement(ViewCredential.UNSPECIFIED_INVALID_ERRCODE);
        } else {
            super.expireJsapiTicket();
        }
    }

    @Override
    public void updateJsapiTicket(String ticket, int expiresInSeconds) {
        if (jsapiTicket.isDistributed()) {
            ignoredUpdate("jsapi ticket");
        } else {
            super.updateJsapiTicket(ticket, expiresInSeconds);
        }
    }

    @Override
    public String getCardApiTicket() {
        return cardTicket.isDistributed() ? cardTicket.value() : super.getCardApiTicket();
    }

    @Override
    public boolean isCardApiTicketExpired() {
        return cardTicket.isDistributed() ? cardTicket.isExpired() : super.isCardApiTicketExpired();
    }

    @Override
    public void expireCardApiTicket() {
        if (cardTicket.isDistributed()) {
            cardTicket.awaitReplacement(ViewCredential.UNSPECIFIED_INVALID_ERRCODE);
        } else {
            super.expireCardApiTicket();
        }
    }

    @Override
    public void updateCardApiTicket(String ticket, int expiresInSeconds) {
        if (cardTicket.isDistributed()) {
            ignoredUpdate("card ticket");
        } else {
            super.updateCardApiTicket(ticket, expiresInSeconds);
        }
    }

    private void ignoredUpdate(String what) {
        log.warn(
                "wxjava ignored a {} fetched outside tokencast appid={}; the refresher's stays in use."
                        + " Build the service as TokencastWxMaService so that nothing fetches.",
                what,
                getAppid());
    }

    @Override
    public String toString() {
        return "TokencastWxMaConfig[appid=" + getAppid() + ", key=" + accessToken.key() + "]";
    }
}
