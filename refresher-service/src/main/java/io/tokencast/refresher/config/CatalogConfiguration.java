package io.tokencast.refresher.config;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Exposes the {@link CredentialCatalog}; its construction is where a wrong configuration stops start-up. */
@Configuration(proxyBeanMethods = false)
public class CatalogConfiguration {

    @Bean
    CredentialCatalog credentialCatalog(TokencastProperties properties) {
        return new CredentialCatalog(properties);
    }
}
