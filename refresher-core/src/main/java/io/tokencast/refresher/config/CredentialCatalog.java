package io.tokencast.refresher.config;

import io.tokencast.refresher.wechat.ManagedCredential;
import io.tokencast.schema.TokenKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The credentials this refresher keeps fresh: those configured in {@code tokencast.apps} (and the open
 * platform's properties), fixed at start, plus those a {@link Registry} reports as registered while the
 * refresher runs (authorizers). Thread-safe: readers see an immutable snapshot,
 * {@link #reload()} replaces it.
 */
public final class CredentialCatalog {

    /**
     * Where credentials registered at runtime are kept. It must read state every replica shares: the replica
     * that registered a credential is not necessarily the one that leads.
     */
    @FunctionalInterface
    public interface Registry {

        /** Registers nothing. */
        Registry NONE = List::of;

        /** The credentials registered now. */
        List<ManagedCredential> registered();
    }

    /** Told when a reload finds a credential registered or retired; called on the reloading thread. */
    public interface Listener {

        void registered(ManagedCredential credential);

        void retired(ManagedCredential credential);
    }

    private final Map<TokenKey, ManagedCredential> configured = new LinkedHashMap<>();
    private final Registry registry;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Object reloading = new Object();
    private volatile Map<TokenKey, ManagedCredential> registered = Map.of();

    /** The catalog of these credentials, fixed for its life. */
    public CredentialCatalog(List<ManagedCredential> configured) {
        this(configured, Registry.NONE);
    }

    /**
     * The catalog of credentials configured at start, checked by the caller, plus those the registry holds.
     *
     * @param registry read by {@link #reload()}, not while building: it may need beans built after the catalog
     */
    public CredentialCatalog(List<ManagedCredential> configured, Registry registry) {
        configured.forEach(c -> this.configured.put(c.key(), c));
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** Every credential: the configured ones in configuration order, then the registered ones. */
    public List<ManagedCredential> all() {
        Map<TokenKey, ManagedCredential> now = registered;
        List<ManagedCredential> all = new ArrayList<>(configured.size() + now.size());
        all.addAll(configured.values());
        all.addAll(now.values());
        return List.copyOf(all);
    }

    /**
     * The credential with this key. A key the catalog does not know yet makes it {@link #reload()} once: a
     * command may name an authorizer registered on another replica a moment ago.
     */
    public Optional<ManagedCredential> find(TokenKey key) {
        return known(key).or(() -> {
            reload();
            return known(key);
        });
    }

    /**
     * Reads the registry and tells the listeners what was registered or retired since the last reload. A
     * registered credential never replaces a configured one.
     *
     * @throws RuntimeException what the registry throws; the catalog then keeps its previous snapshot
     */
    public void reload() {
        synchronized (reloading) {
            Map<TokenKey, ManagedCredential> next = new LinkedHashMap<>();
            for (ManagedCredential credential : registry.registered()) {
                if (!configured.containsKey(credential.key())) {
                    next.put(credential.key(), credential);
                }
            }
            Map<TokenKey, ManagedCredential> previous = registered;
            if (next.equals(previous)) {
                return;
            }
            registered = Collections.unmodifiableMap(next);
            next.values().stream().filter(c -> !previous.containsKey(c.key())).forEach(this::registered);
            previous.values().stream().filter(c -> !next.containsKey(c.key())).forEach(this::retired);
        }
    }

    /** Adds a listener; it is told only of changes found by later reloads. */
    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    private Optional<ManagedCredential> known(TokenKey key) {
        ManagedCredential credential = configured.get(key);
        return credential != null ? Optional.of(credential) : Optional.ofNullable(registered.get(key));
    }

    private void registered(ManagedCredential credential) {
        listeners.forEach(l -> l.registered(credential));
    }

    private void retired(ManagedCredential credential) {
        listeners.forEach(l -> l.retired(credential));
    }

    @Override
    public String toString() {
        return "CredentialCatalog[configured=" + configured.keySet() + ", registered=" + registered.keySet() + "]";
    }
}
