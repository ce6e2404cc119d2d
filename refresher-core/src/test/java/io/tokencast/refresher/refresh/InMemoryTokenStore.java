package io.tokencast.refresher.refresh;

import io.tokencast.refresher.signing.SignedEvent;
import io.tokencast.refresher.store.RetryState;
import io.tokencast.refresher.store.StoredToken;
import io.tokencast.refresher.store.TokenStore;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@link TokenStore} in memory, with the Redis store's compare-and-set and restore rules. */
final class InMemoryTokenStore implements TokenStore {

    private final Map<TokenKey, TokenRefreshed> tokens = new HashMap<>();
    private final Map<TokenKey, Long> versions = new HashMap<>();
    private final Map<TokenKey, RetryState> retries = new HashMap<>();
    private boolean recovered = true;

    @Override
    public synchronized StoredToken read(TokenKey key) {
        return new StoredToken(key, tokens.get(key), versions.getOrDefault(key, 0L), retries.get(key));
    }

    @Override
    public synchronized Map<TokenKey, StoredToken> readAll(Collection<TokenKey> keys) {
        Map<TokenKey, StoredToken> all = new LinkedHashMap<>();
        keys.forEach(k -> all.put(k, read(k)));
        return all;
    }

    /** The bytes of the last version written through {@link #compareAndSet(SignedEvent, long)}. */
    volatile byte[] lastWrittenBytes;

    @Override
    public boolean compareAndSet(SignedEvent<TokenRefreshed> next, long expectedVersion) {
        boolean stored = compareAndSet(next.event(), expectedVersion);
        if (stored) {
            lastWrittenBytes = next.json();
        }
        return stored;
    }

    /** {@link #compareAndSet(SignedEvent, long)} for tests that set the scene, without bytes. */
    synchronized boolean compareAndSet(TokenRefreshed next, long expectedVersion) {
        if (versions.getOrDefault(next.tokenKey(), 0L) != expectedVersion) {
            return false;
        }
        tokens.put(next.tokenKey(), next);
        versions.put(next.tokenKey(), next.version());
        return true;
    }

    @Override
    public synchronized boolean restore(SignedEvent<TokenRefreshed> signed) {
        TokenRefreshed fromTopic = signed.event();
        long current = versions.getOrDefault(fromTopic.tokenKey(), 0L);
        if (current > fromTopic.version()) {
            return false;
        }
        tokens.put(fromTopic.tokenKey(), fromTopic);
        versions.put(fromTopic.tokenKey(), fromTopic.version());
        return true;
    }

    @Override
    public synchronized void remove(TokenKey key, long retiredVersion) {
        remove(key);
        versions.merge(key, retiredVersion, Math::max);
    }

    /** Forgets the key's token and retry state, as if Redis had let them expire. */
    synchronized void remove(TokenKey key) {
        tokens.remove(key);
        retries.remove(key);
    }

    @Override
    public synchronized void saveRetry(TokenKey key, RetryState retry) {
        retries.put(key, retry);
    }

    @Override
    public synchronized void clearRetry(TokenKey key) {
        retries.remove(key);
    }

    @Override
    public synchronized boolean isRecovered() {
        return recovered;
    }

    @Override
    public synchronized void markRecovered(String by) {
        recovered = true;
    }

    synchronized void forget() {
        tokens.clear();
        versions.clear();
        retries.clear();
        recovered = false;
    }
}
