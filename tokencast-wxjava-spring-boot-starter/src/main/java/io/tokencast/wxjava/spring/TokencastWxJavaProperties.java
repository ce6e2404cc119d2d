package io.tokencast.wxjava.spring;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Which WxJava accounts take their tokens from tokencast ({@code tokencast.wxjava.*}). Each account falls back to
 * WxJava's own starter property ({@code wx.mp.app-id}, {@code wx.miniapp.appid}, {@code wx.cp.corp-id} and
 * {@code wx.cp.agent-id}, {@code wx.open.app-id}), so an application already on WxJava's starters needs no new
 * account setting. Secrets are never read: the refresher holds them.
 */
@ConfigurationProperties("tokencast.wxjava")
public class TokencastWxJavaProperties {

    /** Whether to wire WxJava services that read the token view. */
    private boolean enabled = true;

    /**
     * How long a forced refresh, or WxJava's expiry after a 40001, waits for the refresher's next token (one with
     * a different fingerprint) before serving the current one. A forced refresh is a hint, never a fetch.
     */
    private Duration awaitNext = Duration.ofSeconds(10);

    private final Mp mp = new Mp();
    private final Miniapp miniapp = new Miniapp();
    private final Cp cp = new Cp();
    private final Open open = new Open();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Duration getAwaitNext() {
        return awaitNext;
    }

    public void setAwaitNext(Duration awaitNext) {
        this.awaitNext = awaitNext;
    }

    public Mp getMp() {
        return mp;
    }

    public Miniapp getMiniapp() {
        return miniapp;
    }

    public Cp getCp() {
        return cp;
    }

    public Open getOpen() {
        return open;
    }

    /** An official account (WxMpService). */
    public static class Mp {

        /** The official account's appid; falls back to wx.mp.app-id. Token key wechat-access-token/<app-id>. */
        private String appId;

        /** Base URL for api.weixin.qq.com calls, e.g. a gateway; falls back to wx.mp.hosts.api-host. */
        private String apiHost;

        /** The message-signature token for callbacks; falls back to wx.mp.token. */
        private String token;

        /** The EncodingAESKey for callbacks; falls back to wx.mp.aes-key. */
        private String aesKey;

        public String getAppId() {
            return appId;
        }

        public void setAppId(String appId) {
            this.appId = appId;
        }

        public String getApiHost() {
            return apiHost;
        }

        public void setApiHost(String apiHost) {
            this.apiHost = apiHost;
        }

        public String getToken() {
            return token;
        }

        public void setToken(String token) {
            this.token = token;
        }

        public String getAesKey() {
            return aesKey;
        }

        public void setAesKey(String aesKey) {
            this.aesKey = aesKey;
        }
    }

    /** A mini program (WxMaService). */
    public static class Miniapp {

        /** The mini program's appid; falls back to wx.miniapp.appid. Token key wechat-access-token/<appid>. */
        private String appid;

        /** Base URL replacing https://api.weixin.qq.com in calls, e.g. a gateway. */
        private String apiHostUrl;

        /** The message-signature token for callbacks; falls back to wx.miniapp.token. */
        private String token;

        /** The EncodingAESKey for callbacks; falls back to wx.miniapp.aes-key. */
        private String aesKey;

        /** Callback message format, JSON or XML; falls back to wx.miniapp.msg-data-format. */
        private String msgDataFormat;

        public String getAppid() {
            return appid;
        }

        public void setAppid(String appid) {
            this.appid = appid;
        }

        public String getApiHostUrl() {
            return apiHostUrl;
        }

        public void setApiHostUrl(String apiHostUrl) {
            this.apiHostUrl = apiHostUrl;
        }

        public String getToken() {
            return token;
        }

        public void setToken(String token) {
            this.token = token;
        }

        public String getAesKey() {
            return aesKey;
        }

        public void setAesKey(String aesKey) {
            this.aesKey = aesKey;
        }

        public String getMsgDataFormat() {
            return msgDataFormat;
        }

        public void setMsgDataFormat(String msgDataFormat) {
            this.msgDataFormat = msgDataFormat;
        }
    }

    /** A WeCom application (WxCpService). */
    public static class Cp {

        /** The WeCom corpid; falls back to wx.cp.corp-id. Token key wecom-access-token/<corp-id>.<agent-id>. */
        private String corpId;

        /** The application's agentid; falls back to wx.cp.agent-id. */
        private Integer agentId;

        /** Base URL for qyapi.weixin.qq.com calls, e.g. a gateway. */
        private String baseApiUrl;

        /** The message-signature token for callbacks; falls back to wx.cp.token. */
        private String token;

        /** The EncodingAESKey for callbacks; falls back to wx.cp.aes-key. */
        private String aesKey;

        public String getCorpId() {
            return corpId;
        }

        public void setCorpId(String corpId) {
            this.corpId = corpId;
        }

        public Integer getAgentId() {
            return agentId;
        }

        public void setAgentId(Integer agentId) {
            this.agentId = agentId;
        }

        public String getBaseApiUrl() {
            return baseApiUrl;
        }

        public void setBaseApiUrl(String baseApiUrl) {
            this.baseApiUrl = baseApiUrl;
        }

        public String getToken() {
            return token;
        }

        public void setToken(String token) {
            this.token = token;
        }

        public String getAesKey() {
            return aesKey;
        }

        public void setAesKey(String aesKey) {
            this.aesKey = aesKey;
        }
    }

    /** An open-platform component (WxOpenService) and the authorizers it acts for. */
    public static class Open {

        /**
         * The component appid; falls back to wx.open.app-id. Token keys wechat-component-access-token/<app-id> and
         * wechat-authorizer-access-token/<app-id>.<authorizer appid>.
         */
        private String componentAppId;

        /** The component's message-signature token; falls back to wx.open.token. */
        private String componentToken;

        /** The component's EncodingAESKey; falls back to wx.open.aes-key. */
        private String componentAesKey;

        public String getComponentAppId() {
            return componentAppId;
        }

        public void setComponentAppId(String componentAppId) {
            this.componentAppId = componentAppId;
        }

        public String getComponentToken() {
            return componentToken;
        }

        public void setComponentToken(String componentToken) {
            this.componentToken = componentToken;
        }

        public String getComponentAesKey() {
            return componentAesKey;
        }

        public void setComponentAesKey(String componentAesKey) {
            this.componentAesKey = componentAesKey;
        }
    }
}
