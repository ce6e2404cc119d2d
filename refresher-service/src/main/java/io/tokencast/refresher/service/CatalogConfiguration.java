package io.tokencast.refresher.service;

import io.tokencast.refresher.config.CredentialCatalog;
import io.tokencast.refresher.service.config.TokencastProperties;
import io.tokencast.refresher.service.openplatform.OpenPlatformCredentials;
import io.tokencast.refresher.service.openplatform.OpenPlatformProperties;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Exposes the {@link CredentialCatalog}; its construction is where a wrong configuration stops start-up. */
@Configuration(proxyBeanMethods = false)
public class CatalogConfiguration {

    @Bean
    CredentialCatalog credentialCatalog(
            TokencastProperties properties,
            ObjectProvider<OpenPlatformProperties> openPlatform,
            ObjectProvider<CredentialCatalog.Registry> registries) {
        OpenPlatformCredentials more = openPlatform.stream()
                .map(OpenPlatformCredentials::check)
                .findFirst()
                .orElseGet(() -> new OpenPlatformCredentials(List.of(), List.of()));
        // Looked up on each reload: the registries (the open platform's vault) are built after the catalog.
        CredentialCatalog.Registry registry = () ->
                registries.orderedStream().flatMap(r -> r.registered().stream()).toList();
        return ConfigurationCheck.catalog(properties, more.credentials(), more.problems(), registry);
    }
}
