package io.tokencast.sidecar;

import io.tokencast.consumer.Token;
import io.tokencast.schema.Fingerprint;
import io.tokencast.schema.TokenKey;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which key a presented access token belongs to, by fingerprint: how {@code ticket/getticket}, which names no
 * app, finds the app whose ticket is asked for. Keeps each key's last few versions (an SDK may hold the
 * previous token during WeChat's overlap), so its size is bounded by the keys the view holds.
 */
final class FingerprintIndex {

    static final int VERSIONS_PER_KEY = 4;

    private final ConcurrentHashMap<String, Token> byFingerprint = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<TokenKey, Deque<String>> recent = new ConcurrentHashMap<>();

    /** Called on the view's reader thread for every new version. */
    void add(Token token) {
        byFingerprint.put(token.fingerprint(), token);
        recent.compute(token.key(), (key, fingerprints) -> {
            Deque<String> kept = fingerprints == null ? new ArrayDeque<>() : fingerprints;
            kept.remove(token.fingerprint());
            kept.addLast(token.fingerprint());
            while (kept.size() > VERSIONS_PER_KEY) {
                byFingerprint.remove(kept.removeFirst());
            }
            return kept;
        });
    }

    void remove(TokenKey key) {
        Deque<String> kept = recent.remove(key);
        if (kept != null) {
            kept.forEach(byFingerprint::remove);
        }
    }

    /** The token with this value, if the view published it recently. */
    Optional<Token> find(String presented) {
        if (presented == null || presented.isEmpty() || presented.length() > 2048) {
            return Optional.empty();
        }
        Token token = byFingerprint.get(Fingerprint.of(presented));
        // A fingerprint is 64 bits of SHA-256: compare the value too, so no collision can borrow an identity.
        return token != null && token.value().equals(presented) ? Optional.of(token) : Optional.empty();
    }

    int size() {
        return byFingerprint.size();
    }
}
