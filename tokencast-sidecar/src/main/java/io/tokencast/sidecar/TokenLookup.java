package io.tokencast.sidecar;

import io.tokencast.consumer.NoKeyForScopeException;
import io.tokencast.consumer.Token;
import io.tokencast.consumer.TokenChangeListener;
import io.tokencast.consumer.TokenExpiredException;
import io.tokencast.consumer.TokenNotReadyException;
import io.tokencast.consumer.TokenRemovedException;
import io.tokencast.consumer.TokenState;
import io.tokencast.consumer.TokenUnavailableException;
import io.tokencast.consumer.TokenView;
import io.tokencast.consumer.UnknownTokenException;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sidecar's one way into the {@link TokenView}: a key becomes a {@link Lookup}, and every new version
 * reaches the fingerprint index and the waiters.
 *
 * <p>{@code expires_in} needs the refresher's {@code nextRefreshAt}, which {@link Token} does not carry; the
 * view's {@link TokenView#snapshot()} does. So the plans are cached per key and version, and re-read from one
 * snapshot when a served version is newer than the cached plan: one snapshot per new version seen, never one
 * per request.
 */
final class TokenLookup implements TokenChangeListener {

    private final TokenView view;
    private final Clock clock;
    private final FingerprintIndex index = new FingerprintIndex();
    private final Waiters waiters;
    private final ConcurrentHashMap<TokenKey, TokenRefreshed> plans = new ConcurrentHashMap<>();

    TokenLookup(TokenView view, Clock clock, Waiters waiters) {
        this.view = view;
        this.clock = clock;
        this.waiters = waiters;
        view.addListener(this);
    }

    Instant now() {
        return clock.instant();
    }

    boolean isReady() {
        return view.isReady();
    }

    TokenView view() {
        return view;
    }

    Waiters waiters() {
        return waiters;
    }

    FingerprintIndex index() {
        return index;
    }

    Lookup find(TokenKey key) {
        Token token;
        try {
            token = view.token(key);
        } catch (TokenNotReadyException e) {
            return new Lookup.Unservable(Lookup.Why.NOT_READY, e.getMessage());
        } catch (UnknownTokenException e) {
            return new Lookup.Unservable(Lookup.Why.UNKNOWN, "no token for " + key + " is published on the topic");
        } catch (TokenRemovedException e) {
            return new Lookup.Unservable(Lookup.Why.REMOVED, "token " + key + " was removed by the refresher");
        } catch (TokenExpiredException e) {
            return new Lookup.Unservable(
                    Lookup.Why.EXPIRED,
                    "token " + key + " expired at " + e.expiresAt() + " and no newer version arrived;"
                            + " check the refresher");
        } catch (NoKeyForScopeException e) {
            return new Lookup.Unservable(Lookup.Why.NO_KEY, e.getMessage());
        } catch (TokenUnavailableException e) {
            return new Lookup.Unservable(Lookup.Why.UNAVAILABLE, e.getMessage());
        }
        TokenState state = view.state(key);
        // The two reads may straddle a change: the token turned expired, or the key went away, just now.
        if (state == TokenState.EXPIRED) {
            return new Lookup.Unservable(Lookup.Why.EXPIRED, "token " + key + " expired just now");
        }
        if (state == TokenState.ABSENT) {
            return new Lookup.Unservable(Lookup.Why.REMOVED, "token " + key + " was removed just now");
        }
        return new Lookup.Served(token, nextRefreshAt(token), state);
    }

    /** The token held now for {@code key}, or null; for waiters checking after they registered. */
    Token held(TokenKey key) {
        return view.find(key).orElse(null);
    }

    private Instant nextRefreshAt(Token token) {
        TokenRefreshed plan = plans.get(token.key());
        if (!matches(plan, token)) {
            plan = reloadPlans(token);
        }
        // A plan older than the token cannot happen after a reload; a newer one means the token read above
        // was superseded meanwhile: its own expiry is then the safe bound.
        return matches(plan, token) ? plan.nextRefreshAt() : token.expiresAt();
    }

    private synchronized TokenRefreshed reloadPlans(Token token) {
        TokenRefreshed cached = plans.get(token.key());
        if (matches(cached, token)) {
            return cached;
        }
        Map<TokenKey, TokenRefreshed> snapshot = view.snapshot();
        plans.keySet().retainAll(snapshot.keySet());
        plans.putAll(snapshot);
        return plans.get(token.key());
    }

    private static boolean matches(TokenRefreshed plan, Token token) {
        return plan != null
                && plan.version() == token.version()
                && plan.fingerprint().equals(token.fingerprint());
    }

    /** A token an SDK presents (e.g. to {@code getticket}), if this sidecar handed it out recently. */
    Optional<Token> presented(String value) {
        return index.find(value);
    }

    @Override
    public void tokenRefreshed(Token token) {
        index.add(token);
        waiters.arrived(token);
    }

    @Override
    public void tokenRemoved(TokenKey key) {
        index.remove(key);
        plans.remove(key);
    }
}
