package io.tokencast.sidecar;

import io.tokencast.consumer.Token;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Rotation absorbed (docs/design.md §5.6, gateway mode): WeChat refused the token a call carried (40001, 40014
 * or 42001 in a JSON answer), so the fingerprint is reported, once per fingerprint however many callers saw it
 * refused, and the call waits, bounded by {@code rotation-wait}, for a token of another fingerprint to be sent
 * once more with. Nothing blocks while it waits.
 */
final class RotationRetry {

    private static final Logger log = LoggerFactory.getLogger(RotationRetry.class);
    private static final Set<Integer> TOKEN_ERRCODES = Set.of(40001, 40014, 42001);
    private static final int MAX_REMEMBERED = 10_000;
    /** WeChat writes member names plainly, never with escapes. */
    private static final byte[] ERRCODE = "\"errcode\"".getBytes(StandardCharsets.US_ASCII);

    private final TokenLookup lookup;
    private final GatewayConfig config;
    private final GatewayMetrics metrics;
    private final Map<String, Boolean> reported = new ConcurrentHashMap<>();

    RotationRetry(TokenLookup lookup, GatewayConfig config, GatewayMetrics metrics) {
        this.lookup = lookup;
        this.config = config;
        this.metrics = metrics;
    }

    /** Whether WeChat's errcode says the token itself was refused: superseded, invalid or expired. */
    static boolean refusesToken(int errcode) {
        return TOKEN_ERRCODES.contains(errcode);
    }

    /**
     * Reports {@code used} (once per fingerprint) and completes with a token of the same key with another
     * fingerprint, or with null when none arrived within the rotation wait.
     */
    CompletableFuture<Token> next(Token used, int errcode) {
        CompletableFuture<Token> next = lookup.waiters()
                .await(
                        used.key(),
                        t -> !t.fingerprint().equals(used.fingerprint()),
                        config.rotationWait(),
                        () -> lookup.held(used.key()));
        report(used, errcode);
        return next.handle((token, failure) -> failure == null ? token : null);
    }

    private void report(Token used, int errcode) {
        if (reported.putIfAbsent(used.fingerprint(), Boolean.TRUE) != null) {
            metrics.report("coalesced");
            return;
        }
        if (reported.size() > MAX_REMEMBERED) {
            reported.clear();
            reported.put(used.fingerprint(), Boolean.TRUE);
        }
        try {
            lookup.view().reportInvalid(used, errcode);
            metrics.report("sent");
            log.info(
                    "gateway reported a refused token key={} fingerprint={} errcode={}",
                    used.key(),
                    used.fingerprint(),
                    errcode);
        } catch (RuntimeException e) {
            metrics.report("failed");
            log.warn("gateway could not report key={} cause={}", used.key(), e.toString());
        }
    }

    /**
     * The errcode among a JSON object's top-level members, 0 when there is none or the body is not a JSON object.
     * WeChat writes errcode first, so this rarely reads past it.
     */
    static int errcode(byte[] body, int length) {
        int i = 0;
        while (i < length && Character.isWhitespace(body[i])) {
            i++;
        }
        if (i >= length || body[i] != '{' || !contains(body, length, ERRCODE)) {
            return 0; // most answers are a call's result, not an error: no parser for them
        }
        try (JsonParser parser = Json.MAPPER.createParser(body, 0, length)) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("errcode".equals(name)) {
                    return value == JsonToken.VALUE_NUMBER_INT ? parser.getValueAsInt() : 0;
                }
                parser.skipChildren();
            }
            return 0;
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static boolean contains(byte[] body, int length, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (body[i + j] != what[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
