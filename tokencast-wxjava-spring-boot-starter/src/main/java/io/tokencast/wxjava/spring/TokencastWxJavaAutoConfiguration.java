package io.tokencast.wxjava.spring;

import cn.binarywang.wx.miniapp.api.WxMaService;
import cn.binarywang.wx.miniapp.config.WxMaConfig;
import io.tokencast.consumer.TokenView;
import io.tokencast.consumer.spring.TokenConsumerAutoConfiguration;
import io.tokencast.wxjava.cp.TokencastWxCpConfigStorage;
import io.tokencast.wxjava.cp.TokencastWxCpService;
import io.tokencast.wxjava.miniapp.TokencastWxMaConfig;
import io.tokencast.wxjava.miniapp.TokencastWxMaService;
import io.tokencast.wxjava.mp.TokencastWxMpConfigStorage;
import io.tokencast.wxjava.mp.TokencastWxMpService;
import io.tokencast.wxjava.open.TokencastWxOpenConfigStorage;
import io.tokencast.wxjava.open.TokencastWxOpenService;
import me.chanjar.weixin.cp.api.WxCpService;
import me.chanjar.weixin.cp.config.WxCpConfigStorage;
import me.chanjar.weixin.mp.api.WxMpService;
import me.chanjar.weixin.mp.config.WxMpConfigStorage;
import me.chanjar.weixin.mp.config.WxMpHostConfig;
import me.chanjar.weixin.open.api.WxOpenComponentService;
import me.chanjar.weixin.open.api.WxOpenConfigStorage;
import me.chanjar.weixin.open.api.WxOpenService;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Wires WxJava services that take every token from the consumer starter's {@link TokenView} and never fetch one.
 * Ordered before WxJava's own starters, whose config-storage and service beans back off
 * ({@code @ConditionalOnMissingBean}) when these exist; without WxJava's starters, these beans are built from
 * {@code tokencast.wxjava.*} alone. A service type is wired when its WxJava module is on the classpath and its
 * account is named ({@link TokencastWxJavaProperties}); declare your own storage or service bean and this backs off.
 */
@AutoConfiguration(
        after = TokenConsumerAutoConfiguration.class,
        beforeName = {
            "com.binarywang.spring.starter.wxjava.mp.config.WxMpAutoConfiguration",
            "com.binarywang.spring.starter.wxjava.miniapp.config.WxMaAutoConfiguration",
            "com.binarywang.spring.starter.wxjava.cp.config.WxCpAutoConfiguration",
            "com.binarywang.spring.starter.wxjava.open.config.WxOpenAutoConfiguration"
        })
@ConditionalOnBooleanProperty(prefix = "tokencast.wxjava", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(TokencastWxJavaProperties.class)
public class TokencastWxJavaAutoConfiguration {

    static String either(String own, Environment environment, String wxJavaProperty) {
        if (own != null && !own.isBlank()) {
            return own.strip();
        }
        String fallback = environment.getProperty(wxJavaProperty);
        return fallback == null || fallback.isBlank() ? null : fallback.strip();
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(WxMpService.class)
    @Conditional(AccountConditions.Mp.class)
    static class MpConfiguration {

        @Bean
        @ConditionalOnMissingBean(WxMpConfigStorage.class)
        TokencastWxMpConfigStorage wxMpConfigStorage(
                TokenView tokenView, TokencastWxJavaProperties properties, Environment environment) {
            TokencastWxJavaProperties.Mp mp = properties.getMp();
            TokencastWxMpConfigStorage storage = new TokencastWxMpConfigStorage(
                    tokenView, either(mp.getAppId(), environment, "wx.mp.app-id"), properties.getAwaitNext());
            storage.setToken(either(mp.getToken(), environment, "wx.mp.token"));
            storage.setAesKey(either(mp.getAesKey(), environment, "wx.mp.aes-key"));
            String apiHost = either(mp.getApiHost(), environment, "wx.mp.hosts.api-host");
            if (apiHost != null) {
                storage.setHostConfig(new WxMpHostConfig(
                        apiHost, WxMpHostConfig.OPEN_DEFAULT_HOST_URL, WxMpHostConfig.MP_DEFAULT_HOST_URL));
            }
            return storage;
        }

        @Bean
        @ConditionalOnMissingBean(WxMpService.class)
        TokencastWxMpService wxMpService(WxMpConfigStorage wxMpConfigStorage) {
            TokencastWxMpService service = new TokencastWxMpService();
            service.setWxMpConfigStorage(wxMpConfigStorage);
            return service;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(WxMaService.class)
    @Conditional(AccountConditions.Miniapp.class)
    static class MiniappConfiguration {

        @Bean
        @ConditionalOnMissingBean(WxMaConfig.class)
        TokencastWxMaConfig wxMaConfig(
                TokenView tokenView, TokencastWxJavaProperties properties, Environment environment) {
            TokencastWxJavaProperties.Miniapp ma = properties.getMiniapp();
            TokencastWxMaConfig config = new TokencastWxMaConfig(
                    tokenView, either(ma.getAppid(), environment, "wx.miniapp.appid"), properties.getAwaitNext());
            config.setToken(either(ma.getToken(), environment, "wx.miniapp.token"));
            config.setAesKey(either(ma.getAesKey(), environment, "wx.miniapp.aes-key"));
            config.setMsgDataFormat(either(ma.getMsgDataFormat(), environment, "wx.miniapp.msg-data-format"));
            if (ma.getApiHostUrl() != null && !ma.getApiHostUrl().isBlank()) {
                config.setApiHostUrl(ma.getApiHostUrl().strip());
            }
            return config;
        }

        @Bean
        @ConditionalOnMissingBean(WxMaService.class)
        TokencastWxMaService wxMaService(WxMaConfig wxMaConfig) {
            TokencastWxMaService service = new TokencastWxMaService();
            service.setWxMaConfig(wxMaConfig);
            return service;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(WxCpService.class)
    @Conditional(AccountConditions.Cp.class)
    static class CpConfiguration {

        @Bean
        @ConditionalOnMissingBean(WxCpConfigStorage.class)
        TokencastWxCpConfigStorage wxCpConfigStorage(
                TokenView tokenView, TokencastWxJavaProperties properties, Environment environment) {
            TokencastWxJavaProperties.Cp cp = properties.getCp();
            String agent =
                    cp.getAgentId() != null ? cp.getAgentId().toString() : either(null, environment, "wx.cp.agent-id");
            TokencastWxCpConfigStorage storage = new TokencastWxCpConfigStorage(
                    tokenView,
                    either(cp.getCorpId(), environment, "wx.cp.corp-id"),
                    agentId(agent),
                    properties.getAwaitNext());
            storage.setToken(either(cp.getToken(), environment, "wx.cp.token"));
            storage.setAesKey(either(cp.getAesKey(), environment, "wx.cp.aes-key"));
            if (cp.getBaseApiUrl() != null && !cp.getBaseApiUrl().isBlank()) {
                storage.setBaseApiUrl(cp.getBaseApiUrl().strip());
            }
            return storage;
        }

        private static int agentId(String text) {
            try {
                return Integer.parseInt(text);
            } catch (NumberFormatException | NullPointerException e) {
                throw new InvalidConfigurationPropertyValueException(
                        "tokencast.wxjava.cp.agent-id",
                        text,
                        "a WeCom application is named by corpid and agentid (its token key is"
                                + " wecom-access-token/<corpid>.<agentid>): set tokencast.wxjava.cp.agent-id or"
                                + " wx.cp.agent-id to the numeric agentid");
            }
        }

        @Bean
        @ConditionalOnMissingBean(WxCpService.class)
        TokencastWxCpService wxCpService(WxCpConfigStorage wxCpConfigStorage) {
            TokencastWxCpService service = new TokencastWxCpService();
            service.setWxCpConfigStorage(wxCpConfigStorage);
            return service;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(WxOpenService.class)
    @Conditional(AccountConditions.Open.class)
    static class OpenConfiguration {

        @Bean
        @ConditionalOnMissingBean(WxOpenConfigStorage.class)
        TokencastWxOpenConfigStorage wxOpenConfigStorage(
                TokenView tokenView, TokencastWxJavaProperties properties, Environment environment) {
            TokencastWxJavaProperties.Open open = properties.getOpen();
            TokencastWxOpenConfigStorage storage = new TokencastWxOpenConfigStorage(
                    tokenView,
                    either(open.getComponentAppId(), environment, "wx.open.app-id"),
                    properties.getAwaitNext());
            storage.setComponentToken(either(open.getComponentToken(), environment, "wx.open.token"));
            storage.setComponentAesKey(either(open.getComponentAesKey(), environment, "wx.open.aes-key"));
            return storage;
        }

        @Bean
        @ConditionalOnMissingBean(WxOpenService.class)
        TokencastWxOpenService wxOpenService(WxOpenConfigStorage wxOpenConfigStorage) {
            TokencastWxOpenService service = new TokencastWxOpenService();
            service.setWxOpenConfigStorage(wxOpenConfigStorage);
            return service;
        }

        // WxJava's open starter declares this bean unconditionally, under the same name: leave it to it there.
        @Bean
        @ConditionalOnMissingBean(WxOpenComponentService.class)
        @ConditionalOnMissingClass("com.binarywang.spring.starter.wxjava.open.config.WxOpenAutoConfiguration")
        WxOpenComponentService wxOpenComponentService(WxOpenService wxOpenService) {
            return wxOpenService.getWxOpenComponentService();
        }
    }
}
