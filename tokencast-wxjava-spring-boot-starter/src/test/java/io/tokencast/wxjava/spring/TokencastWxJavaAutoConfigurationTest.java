package io.tokencast.wxjava.spring;

import static org.assertj.core.api.Assertions.assertThat;

import cn.binarywang.wx.miniapp.api.WxMaService;
import cn.binarywang.wx.miniapp.config.WxMaConfig;
import com.binarywang.spring.starter.wxjava.cp.config.WxCpAutoConfiguration;
import com.binarywang.spring.starter.wxjava.miniapp.config.WxMaAutoConfiguration;
import com.binarywang.spring.starter.wxjava.mp.config.WxMpAutoConfiguration;
import com.binarywang.spring.starter.wxjava.open.config.WxOpenAutoConfiguration;
import io.tokencast.consumer.FakeTokenView;
import io.tokencast.consumer.TokenView;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import io.tokencast.wxjava.cp.TokencastWxCpService;
import io.tokencast.wxjava.miniapp.TokencastWxMaConfig;
import io.tokencast.wxjava.miniapp.TokencastWxMaService;
import io.tokencast.wxjava.mp.TokencastWxMpConfigStorage;
import io.tokencast.wxjava.mp.TokencastWxMpService;
import io.tokencast.wxjava.open.TokencastWxOpenService;
import me.chanjar.weixin.cp.api.WxCpService;
import me.chanjar.weixin.mp.api.WxMpService;
import me.chanjar.weixin.mp.api.impl.WxMpServiceImpl;
import me.chanjar.weixin.mp.config.WxMpConfigStorage;
import me.chanjar.weixin.open.api.WxOpenComponentService;
import me.chanjar.weixin.open.api.WxOpenService;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class TokencastWxJavaAutoConfigurationTest {

    private static final String MP = "wx00000000000000mp";
    private static final String MA = "wx00000000000000ma";
    private static final String CORP = "ww000000000000corp";
    private static final String COMPONENT = "wx0000000component";

    private final FakeTokenView view = new FakeTokenView();

    private ApplicationContextRunner runner(Class<?>... wxJavaStarters) {
        Class<?>[] configurations = new Class<?>[wxJavaStarters.length + 1];
        configurations[0] = TokencastWxJavaAutoConfiguration.class;
        System.arraycopy(wxJavaStarters, 0, configurations, 1, wxJavaStarters.length);
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(configurations))
                .withBean(TokenView.class, () -> view);
    }

    @Test
    void beside_wxJavasOwnStarters_everyServiceReadsTheTokenView() {
        view.put(TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, MP), "mp-token");
        view.put(TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, MA), "ma-token");
        view.put(TokenKey.of(TokenKind.WECOM_ACCESS_TOKEN, CORP + ".1000002"), "cp-token");
        view.put(TokenKey.of(TokenKind.WECHAT_COMPONENT_ACCESS_TOKEN, COMPONENT), "component-token");

        runner(
                        WxMpAutoConfiguration.class,
                        WxMaAutoConfiguration.class,
                        WxCpAutoConfiguration.class,
                        WxOpenAutoConfiguration.class)
                // Only WxJava's own properties, as an application on WxJava's starters has them; no secrets.
                .withPropertyValues(
                        "wx.mp.app-id=" + MP,
                        "wx.miniapp.appid=" + MA,
                        "wx.cp.corp-id=" + CORP,
                        "wx.cp.agent-id=1000002",
                        "wx.open.app-id=" + COMPONENT)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(WxMpService.class)).isInstanceOf(TokencastWxMpService.class);
                    assertThat(context.getBean(WxMpConfigStorage.class)).isInstanceOf(TokencastWxMpConfigStorage.class);
                    assertThat(context.getBean(WxMpService.class).getAccessToken())
                            .isEqualTo("mp-token");
                    assertThat(context.getBean(WxMaService.class)).isInstanceOf(TokencastWxMaService.class);
                    assertThat(context.getBean(WxMaConfig.class)).isInstanceOf(TokencastWxMaConfig.class);
                    assertThat(context.getBean(WxMaService.class).getAccessToken())
                            .isEqualTo("ma-token");
                    assertThat(context.getBean(WxCpService.class)).isInstanceOf(TokencastWxCpService.class);
                    assertThat(context.getBean(WxCpService.class).getAccessToken())
                            .isEqualTo("cp-token");
                    assertThat(context.getBean(WxOpenService.class)).isInstanceOf(TokencastWxOpenService.class);
                    assertThat(context.getBean(WxOpenComponentService.class).getComponentAccessToken(false))
                            .isEqualTo("component-token");
                });
    }

    @Test
    void withoutWxJavasStarters_theServicesAreBuiltFromTokencastsProperties() {
        view.put(TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, MP), "mp-token");

        runner().withPropertyValues(
                        "tokencast.wxjava.mp.app-id=" + MP,
                        "tokencast.wxjava.mp.api-host=http://gateway.internal",
                        "tokencast.wxjava.open.component-app-id=" + COMPONENT)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    WxMpService mp = context.getBean(WxMpService.class);
                    assertThat(mp).isInstanceOf(TokencastWxMpService.class);
                    assertThat(mp.getAccessToken()).isEqualTo("mp-token");
                    assertThat(mp.getWxMpConfigStorage().getHostConfig().getApiHost())
                            .isEqualTo("http://gateway.internal");
                    assertThat(context.getBean(WxOpenService.class)).isInstanceOf(TokencastWxOpenService.class);
                    assertThat(context).doesNotHaveBean(WxMaService.class);
                    assertThat(context).doesNotHaveBean(WxCpService.class);
                });
    }

    @Test
    void anApplicationsOwnServiceBeanWins() {
        runner().withPropertyValues("tokencast.wxjava.mp.app-id=" + MP)
                .withBean("myMpService", WxMpService.class, WxMpServiceImpl::new)
                .run(context ->
                        assertThat(context.getBean(WxMpService.class)).isNotInstanceOf(TokencastWxMpService.class));
    }

    @Test
    void turnedOff_nothingIsWired() {
        runner(WxMpAutoConfiguration.class)
                .withPropertyValues("tokencast.wxjava.enabled=false", "wx.mp.app-id=" + MP)
                .run(context ->
                        assertThat(context.getBean(WxMpService.class)).isNotInstanceOf(TokencastWxMpService.class));
    }

    @Test
    void aWeComAppWithoutAnAgentIdIsAClearStartupError() {
        runner().withPropertyValues("tokencast.wxjava.cp.corp-id=" + CORP).run(context -> assertThat(context)
                .getFailure()
                .rootCause()
                .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessageContaining("tokencast.wxjava.cp.agent-id"));
    }
}
