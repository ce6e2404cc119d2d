package io.tokencast.sidecar;

import io.tokencast.consumer.SignatureVerification;
import io.tokencast.schema.Fingerprint;
import io.tokencast.schema.TokenKey;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * tokencast's own HTTP API: {@code GET /v1/tokens/{kind}/{account}} (with ETags and long polls) and
 * {@code POST /v1/tokens/{kind}/{account}/invalid}.
 */
final class TokensApi {

    private static final Logger log = LoggerFactory.getLogger(TokensApi.class);
    private static final long MAX_VERSION = (1L << 53) - 1;

    private final TokenLookup lookup;
    private final Reports reports;
    private final Duration maxWait;
    private final Duration reportWait;
    private final TokenRepresentations representations;

    /** How the view checks that its tokens come from the refresher, for the health answer. */
    SignatureVerification signatureVerification() {
        return lookup.view().signatureVerification();
    }

    TokensApi(TokenLookup lookup, Reports reports, SidecarConfig config) {
        this.lookup = lookup;
        this.representations = new TokenRepresentations(lookup);
        this.reports = reports;
        this.maxWait = config.maxWait();
        this.reportWait = config.reportWait();
    }

    CompletableFuture<Answer> get(HttpCall call, TokenKey key) {
        String waitParam = call.param("waitForVersion");
        Lookup now = lookup.find(key);
        if (waitParam == null) {
            return CompletableFuture.completedFuture(answer(now, call));
        }
        long wanted = number(waitParam, "waitForVersion", 1, MAX_VERSION);
        Duration timeout = timeout(call, maxWait);
        boolean alreadyThere =
                now instanceof Lookup.Served served && served.token().version() >= wanted;
        boolean neverComing =
                now instanceof Lookup.Unservable u && (u.why() == Lookup.Why.UNKNOWN || u.why() == Lookup.Why.REMOVED);
        if (alreadyThere || neverComing || timeout.isZero()) {
            return CompletableFuture.completedFuture(answer(now, call));
        }
        return lookup.waiters()
                .await(key, token -> token.version() >= wanted, timeout, () -> lookup.held(key))
                .handle((token, failure) -> {
                    Answer refused = refusal(failure);
                    // Arrived or timed out: either way the answer is what the view holds now; on a timeout the
                    // caller sees a version below the one it asked for and polls again.
                    return refused != null ? refused : answer(lookup.find(key), call);
                });
    }

    CompletableFuture<Answer> invalid(HttpCall call, TokenKey key) {
        String fingerprint = call.field("fingerprint");
        if (fingerprint == null) {
            fingerprint = call.param("fingerprint");
        }
        if (!Fingerprint.isFingerprint(fingerprint)) {
            throw new BadRequest("the fingerprint of the refused token is required, as {\"fingerprint\":"
                    + "\"sha256:<16 hex digits>\"} (GET answers carry it)");
        }
        String errcodeText = call.field("errcode");
        int errcode = errcodeText == null ? 40001 : (int) number(errcodeText, "errcode", -1, 99_999_999);
        Duration timeout = timeout(call, reportWait);
        Lookup now = lookup.find(key);
        if (!(now instanceof Lookup.Served served)) {
            return CompletableFuture.completedFuture(answer(now, call));
        }
        if (!served.token().fingerprint().equals(fingerprint)) {
            // A newer token already replaced the refused one: hand it out, nothing to report.
            return CompletableFuture.completedFuture(
                    answer(served, call).withHeader("X-Tokencast-Report", "superseded"));
        }
        String refused = fingerprint;
        return reports.reportAndAwait(served.token(), errcode, timeout).handle((next, failure) -> {
            if (failure == null) {
                return answer(lookup.find(key), call).withHeader("X-Tokencast-Report", "replaced");
            }
            Answer refusal = refusal(failure);
            if (refusal != null) {
                return refusal;
            }
            Throwable cause = unwrap(failure);
            if (cause instanceof TimeoutException) {
                return Answer.problem(
                                503,
                                "no-new-token",
                                "reported " + key + " " + refused + "; no token with another fingerprint arrived"
                                        + " within " + timeout.toMillis() + " ms. The refresher probes WeChat"
                                        + " before it refreshes; ask again, or check its audit topic")
                        .withHeader("Retry-After", "1");
            }
            log.warn("invalid-token report failed key={} fingerprint={} cause={}", key, refused, cause.toString());
            return Answer.problem(503, "report-failed", "could not report " + key + ": " + cause.getMessage())
                    .withHeader("Retry-After", "1");
        });
    }

    /** The GET representation of a lookup: 200 with the token, 304, 404 or 503. */
    Answer answer(Lookup lookupResult, HttpCall call) {
        if (lookupResult instanceof Lookup.Served served) {
            TokenRepresentations.Representation representation = representations.of(served);
            String ifNoneMatch = call.header().apply("If-None-Match");
            if (ifNoneMatch != null && matches(ifNoneMatch, representation.etag())) {
                return notModified(representation.etag());
            }
            return representation.answer();
        }
        Lookup.Unservable u = (Lookup.Unservable) lookupResult;
        return switch (u.why()) {
            case UNKNOWN -> Answer.problem(404, "unknown-key", u.reason());
            case REMOVED -> Answer.problem(404, "removed", u.reason());
            case NOT_READY -> Answer.problem(503, "not-ready", u.reason()).withHeader("Retry-After", "1");
            case EXPIRED -> Answer.problem(503, "expired", u.reason()).withHeader("Retry-After", "1");
            case NO_KEY -> Answer.problem(503, "no-key", u.reason()).withHeader("Retry-After", "1");
            case UNAVAILABLE -> Answer.problem(503, "unavailable", u.reason()).withHeader("Retry-After", "1");
        };
    }

    /** The answer for a wait that could not even start or was cut short, or null for an ordinary outcome. */
    static Answer refusal(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof Waiters.TooManyWaiters) {
            return Answer.problem(503, "too-many-waiters", cause.getMessage()).withHeader("Retry-After", "1");
        }
        if (cause instanceof Sidecar.ShuttingDown) {
            return Answer.problem(503, "shutting-down", cause.getMessage()).withHeader("Connection", "close");
        }
        return null;
    }

    static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private Duration timeout(HttpCall call, Duration fallback) {
        String text = call.param("timeoutMs");
        if (text == null) {
            text = call.isPost() ? call.field("timeoutMs") : null;
        }
        if (text == null) {
            return fallback;
        }
        return Duration.ofMillis(number(text, "timeoutMs", 0, maxWait.toMillis()));
    }

    /**
     * The prepared answer of a plain {@code GET} (no query, no shared token) of a key served now, or null when
     * the key's answer is not a 200 (unknown, not ready, expired, removed): the router's hot path.
     */
    TokenRepresentations.Representation current(TokenKey key) {
        return representations.current(key);
    }

    static Answer notModified(String etag) {
        return Answer.empty(304, Map.of("ETag", etag, "Cache-Control", "no-store"));
    }

    static boolean matches(String ifNoneMatch, String etag) {
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.strip();
            if (c.equals("*") || c.equals(etag) || c.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }

    static long number(String text, String name, long min, long max) {
        try {
            long value = Long.parseLong(text.strip());
            if (value < min || value > max) {
                throw new BadRequest(name + " must be in " + min + ".." + max + ", was " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new BadRequest(name + " must be a whole number, was '" + abbreviate(text) + "'");
        }
    }

    static String abbreviate(String text) {
        return text.length() <= 32 ? text : text.substring(0, 32) + "…";
    }

    /** A request the endpoint cannot take as it is: answered 400 with the reason. */
    static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message, null, false, false);
        }
    }
}
