package io.tokencast.wxjava;

import static org.assertj.core.api.Assertions.assertThat;

import me.chanjar.weixin.mp.api.WxMpService;
import org.junit.jupiter.api.Test;

/**
 * Each test run of this module names the WxJava version it means to test (system property
 * {@code wxjava.expected}, set by the pom per run): this proves the classpath swap took effect.
 */
class WxJavaOnClasspathTest {

    @Test
    void theWxJavaUnderTestIsTheOneThisRunNames() {
        String expected = System.getProperty("wxjava.expected");
        assertThat(expected).as("system property wxjava.expected").isNotBlank();

        String jar = WxMpService.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toString();

        assertThat(jar).endsWith("weixin-java-mp-" + expected + ".jar");
    }
}
