package io.tokencast.refresher.service.fleet;

import io.tokencast.refresher.config.CredentialCatalog;
import io.tokencast.refresher.store.StoredToken;
import io.tokencast.refresher.store.TokenStore;
import io.tokencast.refresher.wechat.ManagedCredential;
import io.tokencast.schema.TokenKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Answers, per managed token key, how many live instances hold the newest version and which lag, since when:
 * the fleet view's heartbeats judged against the version in Redis.
 */
public final class FleetQuery {

    private final FleetView fleet;
    private final TokenStore store;
    private final CredentialCatalog catalog;

    public FleetQuery(FleetView fleet, TokenStore store, CredentialCatalog catalog) {
        this.fleet = fleet;
        this.store = store;
        this.catalog = catalog;
    }

    /** Every managed key (at most {@code limit}), in catalog order, read from Redis in one round trip. */
    public List<KeyFleet> all(int limit) {
        List<TokenKey> keys =
                catalog.all().stream().limit(limit).map(ManagedCredential::key).toList();
        return forKeys(store.readAll(keys), keys);
    }

    /** The answer for one key. */
    public KeyFleet forKey(TokenKey key) {
        return forKeys(store.readAll(List.of(key)), List.of(key)).get(0);
    }

    /** The answers for keys whose stored state the caller has read already. */
    public List<KeyFleet> forKeys(Map<TokenKey, StoredToken> stored, Collection<TokenKey> keys) {
        List<KeyFleet> answers = new ArrayList<>(keys.size());
        for (TokenKey key : keys) {
            StoredToken current = stored.get(key);
            long newest = 0;
            if (current != null && current.token() != null) {
                fleet.observe(current.token());
                newest = current.token().version();
            }
            answers.add(fleet.forKey(key, newest));
        }
        return answers;
    }

    public FleetView view() {
        return fleet;
    }
}
