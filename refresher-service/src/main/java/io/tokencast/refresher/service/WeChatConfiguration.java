package io.tokencast.refresher.service;

import io.tokencast.refresher.service.config.TokencastProperties;
import io.tokencast.refresher.wechat.CallbackIpProbe;
import io.tokencast.refresher.wechat.CredentialSource;
import io.tokencast.refresher.wechat.TokenProbe;
import io.tokencast.refresher.wechat.WeChatHttpClient;
import io.tokencast.refresher.wechat.WeChatTransport;
import java.net.URI;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the HTTP {@link CredentialSource} and {@link TokenProbe} from {@code tokencast.wechat.*} and {@code tokencast.wecom.*}. */
@Configuration(proxyBeanMethods = false)
public class WeChatConfiguration {

    @Bean
    CredentialSource credentialSource(TokencastProperties properties, Clock clock) {
        return new WeChatHttpClient(
                host(properties.wechat(), WeChatHttpClient.WECHAT_DEFAULT_URL),
                host(properties.wecom(), WeChatHttpClient.WECOM_DEFAULT_URL),
                clock);
    }

    @Bean
    TokenProbe tokenProbe(TokencastProperties properties) {
        return new CallbackIpProbe(
                new WeChatTransport(host(properties.wechat(), WeChatHttpClient.WECHAT_DEFAULT_URL)),
                new WeChatTransport(host(properties.wecom(), WeChatHttpClient.WECOM_DEFAULT_URL)));
    }

    private static WeChatHttpClient.Host host(TokencastProperties.Api api, URI defaultUrl) {
        return new WeChatHttpClient.Host(api.apiBaseUrl() == null ? defaultUrl : api.apiBaseUrl(), api.timeout());
    }
}
