package io.tokencast.wxjava.open;

import io.tokencast.consumer.TokenView;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import io.tokencast.wxjava.ViewCredential;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import me.chanjar.weixin.open.api.impl.WxOpenInMemoryConfigStorage;
import me.chanjar.weixin.open.bean.WxOpenAuthorizerAccessToken;
import me.chanjar.weixin.open.bean.WxOpenComponentAccessToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code WxOpenConfigStorage} for an open-platform component whose component access token and authorizer
 * access tokens come from the tokencast {@link TokenView}: keys {@code wechat-component-access-token/<component>}
 * and {@code wechat-authorizer-access-token/<component>.<authorizer>}; an authorizer's jsapi / card tickets too,
 * where the refresher publishes them ({@code wechat-jsapi-ticket/<authorizer>}). The refresher holds the verify
 * ticket and the authorizer refresh tokens; this storage needs neither, nor the component secret. Expiries (WxJava
 * calls them after 40001) report the current fingerprint and wait, bounded, for the next token; updates fetched
 * elsewhere are ignored. Pair it with {@link TokencastWxOpenService}.
 */
public class TokencastWxOpenConfigStorage extends WxOpenInMemoryConfigStorage {

    private static final Logger log = LoggerFactory.getLogger(TokencastWxOpenConfigStorage.class);
    // Authorizer appids come from the application's own calls; bound them anyway, a map per unique input.
    private static final int MAX_AUTHORIZERS = 10_000;

    private final transient TokenView view;
    private final transient Duration awaitNext;
    private final transient ViewCredential componentToken;
    private final transient Map<TokenKey, ViewCredential> credentials = new ConcurrentHashMap<>();

    /**
     * @param awaitNext how long a forced refresh or an expiry waits for the refresher's next token
     */
    public TokencastWxOpenConfigStorage(TokenView view, String componentAppId, Duration awaitNext) {
        this.view = Objects.requireNonNull(view, "view");
        this.awaitNext = Objects.requireNonNull(awaitNext, "awaitNext");
        setComponentAppId(Objects.requireNonNull(componentAppId, "componentAppId"));
        this.componentToken = new ViewCredential(
                view, TokenKey.of(TokenKind.WECHAT_COMPONENT_ACCESS_TOKEN, componentAppId), awaitNext);
    }

    /** The component access token as tokencast serves it. */
    public ViewCredential componentTokenCredential() {
        return componentToken;
    }

    /** The access token of {@code authorizerAppId} as tokencast serves it. */
    public ViewCredential authorizerTokenCredential(String authorizerAppId) {
        return credential(TokenKind.WECHAT_AUTHORIZER_ACCESS_TOKEN, getComponentAppId() + "." + authorizerAppId);
    }

    private ViewCredential ticket(TokenKind kind, String authorizerAppId) {
        ViewCredential ticket = credential(kind, authorizerAppId);
        return ticket.isDistributed() ? ticket : null;
    }

    private ViewCredential credential(TokenKind kind, String account) {
        TokenKey key = TokenKey.of(kind, account);
        ViewCredential known = credentials.get(key);
        if (known != null) {
            return known;
        }
        if (credentials.size() >= MAX_AUTHORIZERS) {
            return new ViewCredential(view, key, awaitNext);
        }
        return credentials.computeIfAbsent(key, k -> new ViewCredential(view, k, awaitNext));
    }

    @Override
    public String getComponentAccessToken() {
        return componentToken.value();
    }

    @Override
    public boolean isComponentAccessTokenExpired() {
        return componentToken.isExpired();
    }

    @Override
    public void expireComponentAccessToken() {
        componentToken.awaitReplacement(ViewCredential.UNSPECIFIED_INVALID_ERRCODE);
    }

    @Override
    public void updateComponentAccessToken(WxOpenComponentAccessToken token) {
        ignoredUpdate(componentToken.key());
    }

    @Override
    public void updateComponentAccessToken(String token, int expiresInSeconds) {
        ignoredUpdate(componentToken.key());
    }

    @Override
    public String getAuthorizerAccessToken(String appId) {
        return authorizerTokenCredential(appId).value();
    }

    @Override
    public boolean isAuthorizerAccessTokenExpired(String appId) {
        return authorizerTokenCredential(appId).isExpired();
    }

    @Override
    public void expireAuthorizerAccessToken(String appId) {
        authorizerTokenCredential(appId).awaitReplacement(ViewCredential.UNSPECIFIED_INVALID_ERRCODE);
    }

    @Override
    public void updateAuthorizerAccessToken(String appId, WxOpenAuthorizerAccessToken token) {
        ignoredUpdate(authorizerTokenCredential(appId).key());
    }

    @Override
    public void updateAuthorizerAccessToken(String appId, String token, int expiresInSeconds) {
        ignoredUpdate(authorizerTokenCredential(appId).key());
    }

    @Override
    public String getJsapiTicket(String appId) {
        return read(TokenKind.WECHAT_JSAPI_TICKET, appId, super::getJsapiTicket);
    }

    @Override
    public boolean isJsapiTicketExpired(String appId) {
        ViewCredential ticket = ticket(TokenKind.WECHAT_JSAPI_TICKET, appId);
        return ticket == null ? super.isJsapiTicketExpired(appId) : ticket.isExpired();
    }

    @Override
    public void expireJsapiTicket(String appId) {
        ViewCredential ticket = ticket(TokenKind.WECHAT_JSAPI_TICKET, appId);
        if (ticket == null) {
            super.expireJsapiTicket(appId);
        } else {
            ticket.awaitReplacement(ViewCredential.UNSPECIFIED_INVALID_ERRCODE);
        }
    }

    @Override
    public void updateJsapiTicket(String appId, String ticket, int expiresInSeconds) {
        ViewCredential distributed = ticket(TokenKind.WECHAT_JSAPI_TICKET, appId);
        if (distributed == null) {
            super.updateJsapiTicket(appId, ticket, expiresInSeconds);
        } else {
            ignoredUpdate(distributed.key());
        }
    }

    @Override
    public String getCardApiTicket(String appId) {
        return read(TokenKind.WECHAT_CARD_TICKET, appId, super::getCardApiTicket);
    }

    @Override
    public boolean isCardApiTicketExpired(String appId) {
        ViewCredential ticket = ticket(TokenKind.WECHAT_CARD_TICKET, appId);
        return ticket == null ? super.isCardApiTicketExpired(appId) : ticket.isExpired();
    }

    @Override
    public void expireCardApiTicket(String appId) {
        ViewCredential ticket = ticket(TokenKind.WECHAT_CARD_TICKET, appId);
        if (ticket == null) {
            super.expireCardApiTicket(appId);
        } else {
            ticket.awaitReplacement(ViewCredential.UNSPECIFIED_INVALID_ERRCODE);
        }
    }

    @Override
    public void updateCardApiTicket(String appId, String ticket, int expiresInSeconds) {
        ViewCredential distributed = ticket(TokenKind.WECHAT_CARD_TICKET, appId);
        if (distributed == null) {
            super.updateCardApiTicket(appId, ticket, expiresInSeconds);
        } else {
            ignoredUpdate(distributed.key());
        }
    }

    private String read(TokenKind kind, String appId, Function<String, String> wxJava) {
        ViewCredential ticket = ticket(kind, appId);
        return ticket == null ? wxJava.apply(appId) : ticket.value();
    }

    private void ignoredUpdate(TokenKey key) {
        log.warn(
                "wxjava ignored a credential fetched outside tokencast key={}; the refresher's stays in use."
                        + " Build the service as TokencastWxOpenService so that nothing fetches.",
                key);
    }

    @Override
    public String toString() {
        return "TokencastWxOpenConfigStorage[componentAppId=" + getComponentAppId() + "]";
    }
}
