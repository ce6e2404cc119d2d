package io.tokencast.refresher.refresh;

import io.tokencast.refresher.config.CredentialCatalog;
import io.tokencast.refresher.leader.KeyLocks;
import io.tokencast.refresher.publish.TokenTopic;
import io.tokencast.refresher.signing.SignedEvent;
import io.tokencast.refresher.store.StoredToken;
import io.tokencast.refresher.store.TokenStore;
import io.tokencast.refresher.wechat.ManagedCredential;
import io.tokencast.schema.RefreshReason;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes Redis and the tokens topic agree, when a replica becomes the leader and whenever Redis lost its
 * data: a topic version newer than Redis's is restored into Redis (no WeChat call: the topic answers), a
 * Redis version newer than the topic's is published again with reason {@code RECOVERY}.
 */
public final class Recovery {

    private static final Logger log = LoggerFactory.getLogger(Recovery.class);

    /** What recovery did to one key. */
    enum Action {
        RESTORED,
        REPUBLISHED,
        /** Redis is ahead of the topic snapshot; to be checked against the topic under the key's lock. */
        SUSPECT,
        NONE
    }

    private final CredentialCatalog catalog;
    private final TokenStore store;
    private final TokenTopic topic;
    private final KeyLocks locks;
    private final Publication publication;
    private final String instanceId;

    Recovery(
            CredentialCatalog catalog,
            TokenStore store,
            TokenTopic topic,
            KeyLocks locks,
            Publication publication,
            String instanceId) {
        this.catalog = catalog;
        this.store = store;
        this.topic = topic;
        this.locks = locks;
        this.publication = publication;
        this.instanceId = instanceId;
    }

    /**
     * Reconciles every configured key, then marks Redis as recovered. Returns false, without the mark, when
     * leadership was lost on the way or a key was locked by another refresh; the next tick tries again.
     *
     * @param stillLeading asked between keys; recovery stops when it answers false
     */
    boolean run(BooleanSupplier stillLeading) {
        long started = System.nanoTime();
        Map<TokenKey, SignedEvent<TokenRefreshed>> snapshot =
                topic.readToEnd(key -> catalog.find(key).isPresent());
        Map<Action, Integer> counts = new EnumMap<>(Action.class);
        List<TokenKey> suspects = new ArrayList<>();
        for (ManagedCredential credential : catalog.all()) {
            TokenKey key = credential.key();
            if (!stillLeading.getAsBoolean()) {
                return false;
            }
            Optional<Action> action = locks.withLock(key, () -> reconcile(key, snapshot.get(key)));
            if (action.isEmpty()) {
                log.warn("recovery skipped key={} cause=key-locked-by-another-refresh action=retry-next-tick", key);
                return false;
            }
            if (action.get() == Action.SUSPECT) {
                suspects.add(key);
            } else {
                counts.merge(action.get(), 1, Integer::sum);
            }
        }
        for (TokenKey key : suspects) {
            if (!stillLeading.getAsBoolean()) {
                return false;
            }
            Optional<Action> action = locks.withLock(key, () -> republishIfMissing(key));
            if (action.isEmpty()) {
                return false;
            }
            counts.merge(action.get(), 1, Integer::sum);
        }
        store.markRecovered(instanceId);
        log.info(
                "recovery done instance={} topicKeys={} restored={} republished={} durationMs={}",
                instanceId,
                snapshot.size(),
                counts.getOrDefault(Action.RESTORED, 0),
                counts.getOrDefault(Action.REPUBLISHED, 0),
                (System.nanoTime() - started) / 1_000_000);
        return true;
    }

    private Action reconcile(TokenKey key, SignedEvent<TokenRefreshed> signed) {
        StoredToken stored = store.read(key);
        TokenRefreshed published = signed == null ? null : signed.event();
        long topicVersion = published == null ? 0 : published.version();
        // What Redis holds but does not verify is no version at all: the topic's verified one replaces it.
        boolean redisLacksIt = published != null
                && (topicVersion > stored.version()
                        || (topicVersion == stored.version() && stored.token() == null)
                        || stored.untrusted());
        if (redisLacksIt) {
            if (store.restore(signed)) {
                log.info(
                        "restored key={} version={} fingerprint={} expiresAt={} from=topic replacedUntrusted={}",
                        key,
                        published.version(),
                        published.fingerprint(),
                        published.expiresAt(),
                        stored.untrusted());
                return Action.RESTORED;
            }
            return Action.NONE;
        }
        TokenRefreshed current = stored.token();
        // Newer than the snapshot may only mean published after the snapshot was taken: settled below.
        return current != null && current.version() > topicVersion ? Action.SUSPECT : Action.NONE;
    }

    /**
     * Re-reads the topic while holding the key's lock, so no publication of the key can be in flight, and
     * publishes Redis's version if the topic still lacks it.
     */
    private Action republishIfMissing(TokenKey key) {
        SignedEvent<TokenRefreshed> published = topic.readToEnd(key::equals).get(key);
        long topicVersion = published == null ? 0 : published.event().version();
        TokenRefreshed current = store.read(key).token();
        if (current == null || current.version() <= topicVersion) {
            return Action.NONE;
        }
        publication.publishNow(recovered(current, instanceId));
        log.info(
                "republished key={} version={} fingerprint={} topicVersion={} reason=RECOVERY",
                key,
                current.version(),
                current.fingerprint(),
                topicVersion);
        return Action.REPUBLISHED;
    }

    /** The stored version as a new event with reason RECOVERY, issued by replica {@code instanceId}. */
    public static TokenRefreshed recovered(TokenRefreshed stored, String instanceId) {
        return new TokenRefreshed(
                UUID.randomUUID(),
                stored.tokenKey(),
                stored.kind(),
                stored.account(),
                stored.version(),
                stored.token(),
                stored.encryptedToken(),
                stored.fingerprint(),
                stored.issuedAt(),
                stored.expiresAt(),
                stored.nextRefreshAt(),
                RefreshReason.RECOVERY,
                instanceId,
                stored.causationId());
    }
}
