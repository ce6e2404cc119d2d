package io.tokencast.sidecar;

import io.tokencast.consumer.Token;
import io.tokencast.consumer.TokenState;
import io.tokencast.consumer.TokenUnavailableException;
import io.tokencast.schema.TokenKey;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The 200 answer of {@code GET /v1/tokens/{kind}/{account}}, built once per key, version, state and second of
 * {@code expiresIn} (which counts seconds), with its ETag, length and body ready to write: a polling service's
 * request then costs two reads of the view, one of this cache, a clock read and a write of prepared bytes.
 * One entry per key the view served, so bounded by the keys on the topic.
 */
final class TokenRepresentations {

    static final HttpField JSON_TYPE = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, Answer.JSON);
    static final HttpField NO_STORE = new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, "no-store");

    /**
     * One built answer.
     *
     * @param safeUntil when {@code expiresIn} reaches 0 ({@link Lookup.Served#safeUntil()}); it says when this
     *     answer's {@code expiresIn} is out of date
     * @param body the answer's body, read-only and direct, so a write copies nothing: write a duplicate
     */
    record Representation(
            Token token,
            TokenState state,
            Instant safeUntil,
            long expiresIn,
            String etag,
            Answer answer,
            HttpField etagField,
            HttpField contentLength,
            ByteBuffer body) {

        /** Writes this answer, status, headers and body, as the whole response. */
        void writeTo(Response response, Callback callback) {
            response.setStatus(200);
            HttpFields.Mutable headers = response.getHeaders();
            headers.put(JSON_TYPE);
            headers.put(NO_STORE);
            headers.put(etagField);
            headers.put(contentLength);
            response.write(true, body.duplicate(), callback);
        }

        boolean holdsFor(Token current, TokenState currentState, Instant now) {
            return token == current && state == currentState && Lookup.Served.secondsLeft(safeUntil, now) == expiresIn;
        }
    }

    private final TokenLookup lookup;
    private final ConcurrentHashMap<TokenKey, Representation> cache = new ConcurrentHashMap<>();

    TokenRepresentations(TokenLookup lookup) {
        this.lookup = lookup;
    }

    /**
     * The answer for {@code key} now, or null when its token cannot be served as it is (unknown, not ready,
     * expired, removed): those answers are the general path's.
     */
    Representation current(TokenKey key) {
        Token token;
        try {
            token = lookup.view().token(key);
        } catch (TokenUnavailableException e) {
            return null;
        }
        TokenState state = lookup.view().state(key);
        Representation cached = cache.get(key);
        if (cached != null && cached.holdsFor(token, state, lookup.now())) {
            return cached;
        }
        return lookup.find(key) instanceof Lookup.Served served ? of(served) : null;
    }

    /** The answer for a served lookup: the cached one while it holds, else a new one, cached. */
    Representation of(Lookup.Served served) {
        Token token = served.token();
        Instant now = lookup.now();
        Representation cached = cache.get(token.key());
        if (cached != null && cached.holdsFor(token, served.state(), now)) {
            return cached;
        }
        Instant safeUntil = served.safeUntil();
        long expiresIn = Lookup.Served.secondsLeft(safeUntil, now);
        String etag = served.etag();
        Answer answer = Answer.json(
                        200,
                        Json.fields(
                                "key", token.key().asString(),
                                "token", token.value(),
                                "version", token.version(),
                                "fingerprint", token.fingerprint(),
                                "expiresAt", token.expiresAt().toString(),
                                "nextRefreshAt", served.nextRefreshAt().toString(),
                                "state", served.state().name(),
                                "expiresIn", expiresIn))
                .withHeader("ETag", etag);
        ByteBuffer body = ByteBuffer.allocateDirect(answer.body().length)
                .put(answer.body())
                .flip()
                .asReadOnlyBuffer();
        Representation built = new Representation(
                token,
                served.state(),
                safeUntil,
                expiresIn,
                etag,
                answer,
                new PreEncodedHttpField(HttpHeader.ETAG, etag),
                new HttpField.LongValueHttpField(HttpHeader.CONTENT_LENGTH, answer.body().length),
                body);
        cache.put(token.key(), built);
        return built;
    }
}
