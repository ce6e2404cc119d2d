package io.tokencast.wxjava;

import io.tokencast.consumer.Token;
import io.tokencast.consumer.TokenCall;
import io.tokencast.consumer.TokenUnavailableException;
import io.tokencast.consumer.TokenView;
import io.tokencast.schema.TokenKey;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One credential as a WxJava config storage sees it: read from the {@link TokenView}, never fetched. Where
 * WxJava would fetch a new token (a forced refresh, {@code expireAccessToken()} after a 40001), this reports the
 * current fingerprint to the refresher and waits, bounded, for a token with a different fingerprint: a forced
 * refresh is a hint, not a fetch, and no secret is ever needed.
 *
 * <p>Thread-safe; the four storages share it so that every service type waits the same way.
 */
public final class ViewCredential {

    private static final Logger log = LoggerFactory.getLogger(ViewCredential.class);

    /** The errcode a report carries when WxJava only says "expire" without the errcode that made it do so. */
    public static final int UNSPECIFIED_INVALID_ERRCODE = 40001;

    private final TokenView view;
    private final TokenKey key;
    private final Duration awaitNext;

    /**
     * @param awaitNext how long a forced refresh or an expiry waits for a token with a different fingerprint
     *     before it gives up and serves what the view holds
     */
    public ViewCredential(TokenView view, TokenKey key, Duration awaitNext) {
        this.view = Objects.requireNonNull(view, "view");
        this.key = Objects.requireNonNull(key, "key");
        Objects.requireNonNull(awaitNext, "awaitNext");
        if (awaitNext.isNegative()) {
            throw new IllegalArgumentException("awaitNext must be zero or positive, was " + awaitNext);
        }
        this.awaitNext = awaitNext;
    }

    public TokenKey key() {
        return key;
    }

    /**
     * The value to send to WeChat.
     *
     * @throws TokenUnavailableException (or a subtype) naming the key and why it cannot be served; WxJava passes
     *     it through to the caller instead of fetching a token of its own
     */
    public String value() {
        return view.token(key).value();
    }

    /** The current token, or empty when the view cannot serve one (not ready, unknown, expired, removed). */
    public Optional<Token> current() {
        return view.find(key);
    }

    /** Whether the view cannot serve a token now: how WxJava's {@code isAccessTokenExpired()} reads. */
    public boolean isExpired() {
        return view.find(key).isEmpty();
    }

    /** Expiry in epoch millis, as WxJava's {@code getExpiresTime()} reports it; 0 when none is held. */
    public long expiresAtMillis() {
        return view.find(key).map(t -> t.expiresAt().toEpochMilli()).orElse(0L);
    }

    /** Whether the refresher distributes this key at all (the view has held a token for it). */
    public boolean isDistributed() {
        return view.keys().contains(key);
    }

    /**
     * A forced refresh: reports the current token and returns the value of its successor, or the current value
     * when none arrives within the bound.
     */
    public String refreshed() {
        awaitReplacement(UNSPECIFIED_INVALID_ERRCODE);
        return value();
    }

    /**
     * WeChat refused the current token ({@code errcode} 40001, 40014 or 42001, or unknown): reports it and waits,
     * bounded, for a token with a different fingerprint. Returns whether one arrived.
     */
    public boolean awaitReplacement(int errcode) {
        Optional<Token> held = view.find(key);
        if (held.isEmpty()) {
            // Nothing servable to report: an expired or absent key is the refresher's to fix, not a report's.
            return false;
        }
        Token dead = held.get();
        try {
            Token next = differentFingerprint(dead, dead, errcode).get(awaitNext.toNanos(), TimeUnit.NANOSECONDS);
            log.info(
                    "wxjava token replaced key={} deadVersion={} deadFingerprint={} version={} fingerprint={}",
                    key,
                    dead.version(),
                    dead.fingerprint(),
                    next.version(),
                    next.fingerprint());
            return true;
        } catch (TimeoutException e) {
            log.warn(
                    "wxjava no token with a new fingerprint in time key={} version={} fingerprint={} waited={};"
                            + " serving the current one. Check the refresher and its audit topic.",
                    key,
                    dead.version(),
                    dead.fingerprint(),
                    awaitNext);
        } catch (ExecutionException e) {
            log.warn(
                    "wxjava could not report token key={} version={} fingerprint={} cause={}",
                    key,
                    dead.version(),
                    dead.fingerprint(),
                    e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    // A newer version with the same fingerprint (re-published, e.g. re-keyed) is the same dead token: report
    // it too and keep waiting, so callers only ever retry with a token WeChat has not refused yet.
    private CompletableFuture<Token> differentFingerprint(Token report, Token dead, int errcode) {
        return view.reportInvalid(report, errcode)
                .thenCompose(next -> next.fingerprint().equals(dead.fingerprint())
                        ? differentFingerprint(next, dead, errcode)
                        : CompletableFuture.completedFuture(next));
    }

    /** Whether WeChat's errcode says the token itself is dead. */
    public static boolean isInvalidToken(int errcode) {
        return TokenCall.isInvalidToken(errcode);
    }

    @Override
    public String toString() {
        return "ViewCredential[key=" + key + ", awaitNext=" + awaitNext + "]";
    }
}
