package io.tokencast.refresher.store;

import io.tokencast.refresher.signing.SignedEvent;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;

/**
 * The refresher's shared state in Redis: the current {@link TokenRefreshed} of each key, written only by a
 * compare-and-set on its version, plus each key's retry state. Versions only grow (docs/design.md §4.5).
 */
public interface TokenStore {

    /**
     * How long before its expiry Redis forgets a token: 30 s, or 2 % of the token's life for short-lived
     * ones (a 3-minute demo token), so the hash never vanishes before the refresh policy replaces it.
     */
    static Duration safetyMargin(Duration life) {
        Duration scaled = life.dividedBy(50);
        return scaled.compareTo(MAX_SAFETY_MARGIN) < 0 ? scaled : MAX_SAFETY_MARGIN;
    }

    /** The safety margin of tokens with WeChat's ordinary 2-hour life. */
    Duration MAX_SAFETY_MARGIN = Duration.ofSeconds(30);

    /** What Redis holds for the key; {@link StoredToken#version()} is 0 when it never held a version. */
    StoredToken read(TokenKey key);

    /** {@link #read} for many keys in one round trip. */
    Map<TokenKey, StoredToken> readAll(Collection<TokenKey> keys);

    /**
     * Stores {@code next} (its signed bytes, the same the topic gets) if the key's version is still
     * {@code expectedVersion}; {@code next.version()} must be {@code expectedVersion + 1}. False when another
     * writer got there first.
     */
    boolean compareAndSet(SignedEvent<TokenRefreshed> next, long expectedVersion);

    /**
     * Puts back a version read (and verified) from the tokens topic, if it is newer than what Redis holds, or if
     * what Redis holds for the key fails verification ({@link StoredToken#untrusted()}). Returns whether it was
     * taken.
     */
    boolean restore(SignedEvent<TokenRefreshed> fromTopic);

    /**
     * Forgets the key's current token and retry state, when the credential is retired, and raises the version
     * floor to {@code retiredVersion} (the retirement's own version): should the credential come back, its
     * versions continue above the retirement.
     */
    void remove(TokenKey key, long retiredVersion);

    /** Remembers a key's failures and when it may be tried again. */
    void saveRetry(TokenKey key, RetryState retry);

    /** Forgets a key's failures after a success. */
    void clearRetry(TokenKey key);

    /**
     * Whether Redis has been rebuilt from the tokens topic since it was last empty. Until then no version may
     * be written for a key Redis knows nothing about: the topic may hold a higher one.
     */
    boolean isRecovered();

    /** Records that Redis now reflects the tokens topic. */
    void markRecovered(String by);
}
