package io.tokencast.refresher.service.health;

import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Who may see what on the management port (docs/security.md, "Management port"). Health, its probes and
 * Prometheus answer anyone who can reach the port (orchestrators and scrapers hold no password); health
 * details, the other endpoints and every write (the {@code authorizers} endpoint, when exposed) need an
 * operator: the console's users, over HTTP Basic.
 */
@Configuration(proxyBeanMethods = false)
class ManagementSecurity {

    /** The console's operator role (its users are the operators). */
    private static final String OPERATOR = "OPERATOR";

    @Bean
    @Order(1)
    SecurityFilterChain managementSecurityFilterChain(HttpSecurity http) throws Exception {
        http.securityMatcher(EndpointRequest.toAnyEndpoint())
                .authorizeHttpRequests(
                        requests -> requests.requestMatchers(EndpointRequest.to("health", "info", "prometheus"))
                                .permitAll()
                                .anyRequest()
                                .hasRole(OPERATOR))
                .httpBasic(Customizer.withDefaults())
                // Basic credentials on each request and no session: nothing a forged cross-site request could ride on.
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable());
        return http.build();
    }
}
