package io.tokencast.refresher.config;

import io.tokencast.refresher.wechat.ManagedCredential;
import io.tokencast.schema.TokenKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The credentials this refresher keeps fresh, from {@code tokencast.apps}. Building one checks every
 * {@code tokencast.*} property at once and fails with all problems in one {@link InvalidConfigurationException}.
 */
public final class CredentialCatalog {

    private final List<ManagedCredential> all;
    private final Map<TokenKey, ManagedCredential> byKey = new LinkedHashMap<>();

    /**
     * @throws InvalidConfigurationException listing every problem of the properties
     */
    public CredentialCatalog(TokencastProperties properties) {
        ConfigurationCheck.Result result = ConfigurationCheck.of(properties);
        if (!result.problems().isEmpty()) {
            throw new InvalidConfigurationException(result.problems());
        }
        this.all = result.credentials();
        all.forEach(c -> byKey.put(c.key(), c));
    }

    /** Every configured credential, in configuration order. */
    public List<ManagedCredential> all() {
        return all;
    }

    /** The credential with this key, if configured. */
    public Optional<ManagedCredential> find(TokenKey key) {
        return Optional.ofNullable(byKey.get(key));
    }

    @Override
    public String toString() {
        return "CredentialCatalog" + byKey.keySet();
    }
}
