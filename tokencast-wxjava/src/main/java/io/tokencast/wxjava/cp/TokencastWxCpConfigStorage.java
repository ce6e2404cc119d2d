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
 * {@link TokenView}: key {@code wecom-access-token/<corpid>.<agentid>}. Jsapi tickets stay with WxJava (tokencast
 * has no WeCom ticket kind yet); WxJava fetches them with the distributed access token. {@link #expireAccessToken()}
 * (WxJava calls it after 40001, 40014 or 42001) reports the current fingerprint and waits, bounded, for the next
 * token; updates fetched elsewhere are ignored. Pair it with {@link TokencastWxCpService}.
 */
public class TokencastWxCpConfigStorage extends WxCpDefaultConfigImpl {

    private static final Logger log = LoggerFactory.getLogger(TokencastWxCpConfigStorage.class);

    private final transient ViewCredential accessToken;

    /**
     * @param awaitNext how long a forced refresh or an expiry waits for the refresher's next token
     */
    public TokencastWxCpConfigStorage(TokenView view, String corpId, int agentId, Duration awaitNext) {
        Objects.requireNonNull(view, "view");
        setCorpId(Objects.requireNonNull(corpId, "corpId"));
        setAgentId(agentId);
        this.accessToken =
                new ViewCredential(view, TokenKey.of(TokenKind.WECOM_ACCESS_TOKEN, corpId + "." + agentId), awaitNext);
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

    private void ignoredUpdate() {
        log.warn(
                "wxjava ignored an access token fetched outside tokencast key={}; the refresher's stays in use."
                        + " Build the service as TokencastWxCpService so that nothing fetches.",
                accessToken.key());
    }

    @Override
    public String toString() {
        return "TokencastWxCpConfigStorage[key=" + accessToken.key() + "]";
    }
}
