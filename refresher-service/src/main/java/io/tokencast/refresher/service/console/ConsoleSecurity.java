package io.tokencast.refresher.service.console;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.authority.mapping.GrantedAuthoritiesMapper;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.core.oidc.user.OidcUserAuthority;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Who may use the console: operators from {@code tokencast.console.users} (bcrypt hashes), and, where an OIDC
 * client registration is configured, the OIDC users listed in {@code tokencast.console.oidc-operators}. Only the
 * console's paths are guarded here: health, metrics and the open-platform callback keep their own rules.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
class ConsoleSecurity {

    private static final Logger log = LoggerFactory.getLogger(ConsoleSecurity.class);
    static final String OPERATOR = "OPERATOR";

    @Bean
    SecurityFilterChain consoleSecurityFilterChain(
            HttpSecurity http,
            ConsoleSettings settings,
            ObjectProvider<ClientRegistrationRepository> oidc,
            Environment environment)
            throws Exception {
        // Only on the port the console is served from (the management port when it has its own): on the server
        // port, which WeChat's callback reaches, there is no login page and no console at all.
        RequestMatcher consolePort = request -> {
            Integer port = environment.getProperty("local.management.port", Integer.class);
            return port == null || port == request.getLocalPort();
        };
        RequestMatcher consolePaths = new OrRequestMatcher(
                Stream.of("/console", "/console/**", "/login", "/logout", "/oauth2/**", "/login/oauth2/**")
                        .map(path -> (RequestMatcher)
                                PathPatternRequestMatcher.withDefaults().matcher(path))
                        .toList());
        http.securityMatcher(new AndRequestMatcher(consolePort, consolePaths))
                .authorizeHttpRequests(
                        requests -> requests.requestMatchers("/login", "/logout", "/oauth2/**", "/login/oauth2/**")
                                .permitAll()
                                .anyRequest()
                                .hasRole(OPERATOR))
                .formLogin(form -> form.defaultSuccessUrl("/console/", true))
                .logout(logout -> logout.logoutSuccessUrl("/login?logout"))
                // The page's scripts ask for JSON: a 401 tells them to log in again, a redirect would not.
                .exceptionHandling(errors -> errors.defaultAuthenticationEntryPointFor(
                        new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED),
                        PathPatternRequestMatcher.withDefaults().matcher("/console/api/**")))
                .exceptionHandling(errors -> errors.defaultAuthenticationEntryPointFor(
                        new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED),
                        PathPatternRequestMatcher.withDefaults().matcher("/console/events")))
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(
                        "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none';"
                                + " form-action 'self'")));
        if (oidc.getIfAvailable() != null) {
            Set<String> allowed = new HashSet<>(settings.oidcOperators());
            http.oauth2Login(login -> login.defaultSuccessUrl("/console/", true)
                    .userInfoEndpoint(userInfo -> userInfo.userAuthoritiesMapper(operators(allowed))));
            log.info("console OIDC login on oidcOperators={}", allowed.size());
        }
        return http.build();
    }

    /** OIDC users become operators only when listed: a working identity provider is not a permission. */
    private static GrantedAuthoritiesMapper operators(Set<String> allowed) {
        return authorities -> {
            List<GrantedAuthority> mapped = new ArrayList<>(authorities);
            for (GrantedAuthority authority : authorities) {
                if (authority instanceof OidcUserAuthority oidcUser) {
                    String name = oidcUser.getIdToken().getPreferredUsername();
                    if (name == null) {
                        name = oidcUser.getIdToken().getEmail();
                    }
                    if (name == null) {
                        name = oidcUser.getIdToken().getSubject();
                    }
                    if (allowed.contains(name)) {
                        mapped.add(new SimpleGrantedAuthority("ROLE_" + OPERATOR));
                    }
                }
            }
            return mapped;
        };
    }

    @Bean
    UserDetailsService consoleUsers(ConsoleSettings settings) {
        List<UserDetails> users = settings.users().stream()
                .map(user -> User.withUsername(user.name())
                        .password("{bcrypt}" + user.passwordHash())
                        .roles(OPERATOR)
                        .build())
                .toList();
        if (users.isEmpty()) {
            log.info("console has no users: nobody can log in until tokencast.console.users is configured");
        }
        return new InMemoryUserDetailsManager(users);
    }
}
