package io.tokencast.refresher.wechat;

import io.tokencast.refresher.config.TokencastProperties;
import java.net.URI;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the HTTP {@link CredentialSource} from {@code tokencast.wechat.*} and {@code tokencast.wecom.*}. */
@Configuration(proxyBeanMethods = false)
public class WeChatConfiguration {

    /** WeChat's production host for official accounts and mini programs. */
    public static final URI WECHAT_DEFAULT_URL = URI.create("https://api.weixin.qq.com");

    /** WeCom's production host. */
    public static final URI WECOM_DEFAULT_URL = URI.create("https://qyapi.weixin.qq.com");

    @Bean
    CredentialSource credentialSource(TokencastProperties properties, Clock clock) {
        return new WeChatHttpClient(
                host(properties.wechat(), WECHAT_DEFAULT_URL), host(properties.wecom(), WECOM_DEFAULT_URL), clock);
    }

    private static WeChatHttpClient.Host host(TokencastProperties.Api api, URI defaultUrl) {
        return new WeChatHttpClient.Host(api.apiBaseUrl() == null ? defaultUrl : api.apiBaseUrl(), api.timeout());
    }
}
