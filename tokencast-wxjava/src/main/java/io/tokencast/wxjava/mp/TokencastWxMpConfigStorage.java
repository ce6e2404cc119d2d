package io.tokencast.wxjava.mp;

import io.tokencast.consumer.TokenView;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import io.tokencast.wxjava.ViewCredential;
import java.time.Duration;
import java.util.Objects;
import me.chanjar.weixin.common.bean.WxAccessToken;
import me.chanjar.weixin.common.enums.TicketType;
import me.chanjar.weixin.mp.config.impl.WxMpDefaultConfigImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code WxMpConfigStorage} for an official account whose access token (and jsapi / card tickets, where the
 * refresher distributes them) come from the tokencast {@link TokenView}: key
 * {@code wechat-access-token/<appid>}, {@code wechat-jsapi-ticket/<appid>}, {@code wechat-card-ticket/<appid>}.
 * Everything else (appid, message token, AES key, host config, HTTP proxy) is WxJava's default storage, so code
 * that reads the storage directly sees tokencast's token too.
 *
 * <p>{@link #expireAccessToken()} (WxJava calls it after a 40001) reports the current token's fingerprint and
 * waits, bounded, for a token with a different fingerprint; {@code updateAccessToken} is ignored, because a token
 * fetched by anyone but the refresher would supersede the fleet's. Use it with {@link TokencastWxMpService}, whose
 * forced refresh is a hint too; a stock service would still fetch on {@code getAccessToken(true)}.
 */
public class TokencastWxMpConfigStorage extends WxMpDefaultConfigImpl {

    private static final Logger log = LoggerFactory.getLogger(TokencastWxMpConfigStorage.class);

    private final transient ViewCredential accessToken;
    private final transient ViewCredential jsapiTicket;
    private final transient ViewCredential cardTicket;

    /**
     * @param awaitNext how long a forced refresh or an expiry waits for the refresher's next token
     */
    public TokencastWxMpConfigStorage(TokenView view, String appId, Duration awaitNext) {
        Objects.requireNonNull(view, "view");
        setAppId(Objects.requireNonNull(appId, "appId"));
        this.accessToken = new ViewCredential(view, TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, appId), awaitNext);
        this.jsapiTicket = new ViewCredential(view, TokenKey.of(TokenKind.WECHAT_JSAPI_TICKET, appId), awaitNext);
        this.cardTicket = new ViewCredential(view, TokenKey.of(TokenKind.WECHAT_CARD_TICKET, appId), awaitNext);
    }

    /** The access token as tokencast serves it. */
    public ViewCredential accessTokenCredential() {
        return accessToken;
    }

    /**
     * The ticket credential tokencast distributes for {@code type}, or null where WxJava keeps handling it (the
     * SDK ticket, which has no tokencast kind, and tickets the refresher does not publish for this app).
     */
    public ViewCredential ticketCredential(TicketType type) {
        ViewCredential ticket =
                switch (type) {
                    case JSAPI -> jsapiTicket;
                    case WX_CARD -> cardTicket;
                    default -> null;
                };
        return ticket != null && ticket.isDistributed() ? ticket : null;
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
        ignoredUpdate("access token");
    }

    @Override
    public synchronized void updateAccessToken(String token, int expiresInSeconds) {
        ignoredUpdate("access token");
    }

    @Override
    public String getTicket(TicketType type) {
        ViewCredential ticket = ticketCredential(type);
        return ticket == null ? super.getTicket(type) : ticket.value();
    }

    @Override
    public boolean isTicketExpired(TicketType type) {
        ViewCredential ticket = ticketCredential(type);
        return ticket == null ? super.isTicketExpired(type) : ticket.isExpired();
    }

    @Override
    public void expireTicket(TicketType type) {
        ViewCredential ticket = ticketCredential(type);
        if (ticket == null) {
            super.expireTicket(type);
        } else {
            ticket.awaitReplacement(ViewCredential.UNSPECIFIED_INVALID_ERRCODE);
        }
    }

    @Override
    public synchronized void updateTicket(TicketType type, String ticket, int expiresInSeconds) {
        if (ticketCredential(type) == null) {
            super.updateTicket(type, ticket, expiresInSeconds);
        } else {
            ignoredUpdate(type.getCode() + " ticket");
        }
    }

    private void ignoredUpdate(String what) {
        log.warn(
                "wxjava ignored a {} fetched outside tokencast appId={}; the refresher's token stays in use."
                        + " Build the service as TokencastWxMpService so that nothing fetches.",
                what,
                getAppId());
    }

    @Override
    public String toString() {
        return "TokencastWxMpConfigStorage[appId=" + getAppId() + ", key=" + accessToken.key() + "]";
    }
}
