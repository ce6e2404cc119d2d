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
        this(properties, List.of(), List.of());
    }

    /**
     * The catalog of {@code tokencast.apps} plus credentials configured elsewhere (the open platform's), whose
     * problems are reported together with those of the properties.
     *
     * @throws InvalidConfigurationException listing every problem
     */
    public CredentialCatalog(TokencastProperties properties, List<ManagedCredential> more, List<String> moreProblems) {
        ConfigurationCheck.Result result = ConfigurationCheck.of(properties);
        List<String> problems = new java.util.ArrayList<>(result.problems());
        problems.addAll(moreProblems);
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        List<ManagedCredential> credentials = new java.util.ArrayList<>(result.credentials());
        credentials.addAll(more);
        this.all = List.copyOf(credentials);
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
