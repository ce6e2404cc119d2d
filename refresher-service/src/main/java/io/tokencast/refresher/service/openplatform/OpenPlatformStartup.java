package io.tokencast.refresher.service.openplatform;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;

/**
 * At start, before any refresh: rebuilds the vault in Redis from the credentials topic (what Redis lost,
 * the topic still has), then seeds the configured authorizers' refresh tokens where the vault holds none.
 */
final class OpenPlatformStartup implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(OpenPlatformStartup.class);

    private final CredentialVault vault;
    private final Authorizers authorizers;
    private final OpenPlatformProperties properties;

    OpenPlatformStartup(CredentialVault vault, Authorizers authorizers, OpenPlatformProperties properties) {
        this.vault = vault;
        this.authorizers = authorizers;
        this.properties = properties;
    }

    @Override
    public void afterPropertiesSet() {
        if (properties.components().isEmpty()) {
            return;
        }
        vault.restoreFromTopic();
        for (OpenPlatformProperties.Authorizer a : properties.authorizers()) {
            boolean seeded = authorizers.seed(a.componentAppid(), a.authorizerAppid(), a.refreshToken());
            log.info(
                    "configured authorizer authorizer={} seeded={}",
                    Authorizers.account(a.componentAppid(), a.authorizerAppid()),
                    seeded);
        }
    }
}
