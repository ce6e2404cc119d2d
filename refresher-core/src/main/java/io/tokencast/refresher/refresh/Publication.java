package io.tokencast.refresher.refresh;

import io.tokencast.refresher.leader.KeyLocks;
import io.tokencast.refresher.publish.EventPublisher;
import io.tokencast.refresher.publish.PublishException;
import io.tokencast.refresher.signing.RecordSigning;
import io.tokencast.refresher.signing.SignedEvent;
import io.tokencast.refresher.store.StoredToken;
import io.tokencast.refresher.store.TokenStore;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes new versions into bytes and publishes them to the tokens topic. A version is encoded and signed once
 * ({@link #sign}); the same bytes go to Redis and to the topic. A version the broker did not take stays in
 * Redis and is published again on a later tick, under the key's lock and only while it is still the key's
 * newest: an older version published after a newer one would win the topic's compaction.
 */
public final class Publication {

    private static final Logger log = LoggerFactory.getLogger(Publication.class);

    private final EventPublisher publisher;
    private final TokenStore store;
    private final KeyLocks locks;
    private final RecordSigning signing;
    private final Map<TokenKey, Long> pending = new ConcurrentHashMap<>();

    /** One per refresher; the scheduler retries from the same instance the refresher publishes through. */
    public Publication(EventPublisher publisher, TokenStore store, KeyLocks locks, RecordSigning signing) {
        this.publisher = publisher;
        this.store = store;
        this.locks = locks;
        this.signing = signing;
    }

    /** The version as the bytes Redis and the topic both get: encoded once, signed once. */
    SignedEvent<TokenRefreshed> sign(TokenRefreshed event) {
        return signing.sign(event);
    }

    /** Whether a version signed by {@code signedBy} (null: unsigned) lacks this refresher's signing key. */
    boolean needsResigning(String signedBy) {
        return signing.needsResigning(signedBy);
    }

    /** The kid new versions are signed with; empty with signing off. */
    Optional<String> signingKid() {
        return signing.kid();
    }

    /**
     * Signs and publishes {@code event} now, for a caller that handles a broker failure itself (recovery leaves the
     * key to the next tick).
     *
     * @throws PublishException when the broker did not take it
     */
    void publishNow(TokenRefreshed event) {
        publisher.publish(signing.sign(event));
    }

    /** Publishes a version just stored in Redis; on failure, queues it for {@link #retryPending()}. */
    void publish(SignedEvent<TokenRefreshed> signed) {
        TokenRefreshed event = signed.event();
        try {
            publisher.publish(signed);
            pending.remove(event.tokenKey());
        } catch (PublishException e) {
            pending.put(event.tokenKey(), event.version());
            log.warn(
                    "publish failed key={} version={} action=retry-next-tick error={}",
                    event.tokenKey(),
                    event.version(),
                    e.getMessage());
        }
    }

    /** Publishes again what failed before, if it is still the newest version of its key. */
    void retryPending() {
        pending.forEach((key, version) -> locks.withLock(key, () -> retry(key, version)));
    }

    private boolean retry(TokenKey key, long version) {
        StoredToken stored = store.read(key);
        TokenRefreshed current = stored.token();
        if (current == null || current.version() != version) {
            // A newer version replaced it (and was published by its writer), or the token expired in Redis.
            pending.remove(key, version);
            return false;
        }
        try {
            // Redis keeps the verified event, not its bytes: signed again, to the same bytes with Ed25519.
            publishNow(current);
            pending.remove(key, version);
            log.info("republished key={} version={} fingerprint={}", key, version, current.fingerprint());
            return true;
        } catch (PublishException e) {
            log.warn("publish failed again key={} version={} error={}", key, version, e.getMessage());
            return false;
        }
    }

    /** Whether a version of the key still waits for publication. */
    public boolean isPending(TokenKey key) {
        return pending.containsKey(key);
    }
}
