package io.tokencast.refresher.service.console;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The console's web face on the management port (docs/operations.md §1.1): loaded into Actuator's child
 * context when {@code management.server.port} differs from {@code server.port}, so the server port serves the
 * open-platform callback alone. Listed in
 * {@code META-INF/spring/org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration.imports}
 * and kept out of the application's component scan; the console's state, events and commands stay in the main
 * context, which the child sees. With one port for both, {@link ConsoleController} and
 * {@link #consoleResources()} are registered in the main context instead.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
public class ConsoleWebConfiguration {

    /** Where the page, its script and its style sheet are, outside {@code static/} so no other port serves them. */
    static final String RESOURCES = "classpath:/console/";

    @Bean
    ConsoleController consoleController(ConsoleState state, ConsoleEvents events, OperatorCommands commands) {
        return new ConsoleController(state, events, commands);
    }

    @Bean
    static WebMvcConfigurer consoleResources() {
        return new WebMvcConfigurer() {
            @Override
            public void addResourceHandlers(ResourceHandlerRegistry registry) {
                registry.addResourceHandler("/console/**").addResourceLocations(RESOURCES);
            }
        };
    }
}
