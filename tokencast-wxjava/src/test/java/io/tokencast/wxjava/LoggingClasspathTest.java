package io.tokencast.wxjava;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * WxJava brings jcl-over-slf4j, Spring Framework 7 brings commons-logging 1.3: both define
 * {@code org.apache.commons.logging}. The build keeps exactly one, so which class loads never depends on
 * classpath order.
 */
class LoggingClasspathTest {

    @Test
    void exactlyOneCommonsLoggingImplementationIsOnTheClasspath() throws IOException {
        List<URL> copies = Collections.list(
                getClass().getClassLoader().getResources("org/apache/commons/logging/LogFactory.class"));

        assertThat(copies).hasSize(1);
    }

    @Test
    void wxJavaLogsThroughSlf4j() {
        org.apache.commons.logging.Log log = org.apache.commons.logging.LogFactory.getLog("wxjava");

        assertThat(log.getClass().getName()).containsIgnoringCase("slf4j");
    }
}
