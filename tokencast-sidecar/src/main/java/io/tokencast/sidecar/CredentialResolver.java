package io.tokencast.sidecar;

import io.tokencast.consumer.Token;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Request;

/**
 * Account resolution for gateway calls (docs/design.md §5.6, gateway mode): which key a call is made for, from a
 * handle or a token tokencast distributed in {@code access_token} or {@code component_access_token}, or from
 * {@code X-Tokencast-Key} where enabled; and the current token of every key it names. Whatever cannot be
 * resolved is answered locally (41001 for no credential, 40014 for one that is not ours), never forwarded.
 */
final class CredentialResolver {

    static final String KEY_HEADER = "X-Tokencast-Key";

    /** What resolving a call's credentials gives: the plan to forward it by, or its local answer. */
    sealed interface Resolution permits CallPlan, Refusal {}

    private final GatewayConfig config;
    private final TokenLookup lookup;
    private final PresentedCredentials presented;
    private final SharedToken shared;

    CredentialResolver(GatewayConfig config, TokenLookup lookup, PresentedCredentials presented, SharedToken shared) {
        this.config = config;
        this.lookup = lookup;
        this.presented = presented;
        this.shared = shared;
    }

    Resolution resolve(Request request, GatewayRoutes.Route route) {
        List<String[]> query = new ArrayList<>();
        List<TokenKey> occurrences = new ArrayList<>();
        Map<TokenKey, Token> tokens = new LinkedHashMap<>();
        TokenKey primary = null;
        String rawQuery = request.getHttpURI().getQuery();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String raw : rawQuery.split("&")) {
                if (raw.isEmpty()) {
                    continue;
                }
                int eq = raw.indexOf('=');
                String name;
                String value;
                try {
                    name = decoded(eq < 0 ? raw : raw.substring(0, eq));
                    value = eq < 0 ? "" : decoded(raw.substring(eq + 1));
                } catch (IllegalArgumentException e) {
                    return new Refusal("bad-request", WeChatReplies.error(40097, "the query string cannot be decoded"));
                }
                query.add(new String[] {raw, name});
                if (!CallPlan.CREDENTIAL_PARAMS.contains(name)) {
                    continue;
                }
                if (value.isEmpty()) {
                    occurrences.add(null);
                    continue;
                }
                PresentedCredentials.Resolution resolution = presented.resolve(value);
                if (resolution instanceof PresentedCredentials.Resolution.Key k) {
                    Refusal unservable = current(k.key(), tokens);
                    if (unservable != null) {
                        return unservable;
                    }
                    occurrences.add(k.key());
                    if (primary == null) {
                        primary = k.key();
                    }
                } else if (resolution instanceof PresentedCredentials.Resolution.Refused r) {
                    return new Refusal("credential-" + r.errcode(), WeChatReplies.error(r.errcode(), r.why()));
                } else if (route == GatewayRoutes.Route.OPEN) {
                    occurrences.add(null); // a user's OAuth token, say: not ours, passed through untouched
                } else {
                    return refused40014("the " + name + " is neither a handle nor a token this sidecar handed out");
                }
            }
        }
        TokenKey headerKey = null;
        String header = request.getHeaders().get(KEY_HEADER);
        if (header != null) {
            Resolution named = headerKey(request, header, tokens);
            if (named instanceof Refusal refusal) {
                return refusal;
            }
            headerKey = ((CallPlan) named).primary();
            primary = headerKey;
        }
        if (primary == null && route != GatewayRoutes.Route.OPEN) {
            return new Refusal(
                    "credential-41001",
                    WeChatReplies.error(41001, "neither a handle, a token nor " + KEY_HEADER + " names the account"));
        }
        return new CallPlan(primary, tokens, query, occurrences, headerKey);
    }

    /** A query part decoded; most (names, openids, handles) have nothing to decode. */
    private static String decoded(String raw) {
        return raw.indexOf('%') < 0 && raw.indexOf('+') < 0 ? raw : URLDecoder.decode(raw, StandardCharsets.UTF_8);
    }

    /** The key {@code X-Tokencast-Key} names, as a plan of that key alone, or why it may not name one. */
    private Resolution headerKey(Request request, String header, Map<TokenKey, Token> tokens) {
        if (!config.keyHeader()) {
            return refused40014(KEY_HEADER + " is disabled on this sidecar");
        }
        if (shared.required() && !shared.admits(headerCall(request), null)) {
            return refused40014(KEY_HEADER + " needs this sidecar's shared token");
        }
        if (presented.clientsConfigured()) {
            return refused40014(KEY_HEADER + " is not accepted where client credentials are configured; use a handle");
        }
        TokenKey key;
        try {
            key = TokenKey.parse(header.strip());
        } catch (RuntimeException e) {
            return refused40014(KEY_HEADER + " is not a token key: " + e.getMessage());
        }
        if (!isAccessTokenKind(key.kind())) {
            return refused40014(key.kind() + " is a ticket, not an access token");
        }
        Refusal unservable = current(key, tokens);
        return unservable != null ? unservable : new CallPlan(key, tokens, List.of(), List.of(), key);
    }

    private static Refusal refused40014(String why) {
        return new Refusal("credential-40014", WeChatReplies.error(40014, why));
    }

    /** Tickets (WeChat's and WeCom's) sign pages; they never authorize an API call. */
    private static boolean isAccessTokenKind(TokenKind kind) {
        return !kind.id().endsWith("-ticket");
    }

    /** Puts the key's current token in {@code tokens}; the local answer when there is none to use. */
    private Refusal current(TokenKey key, Map<TokenKey, Token> tokens) {
        if (tokens.containsKey(key)) {
            return null;
        }
        Lookup found = lookup.find(key);
        if (found instanceof Lookup.Served served) {
            tokens.put(key, served.token());
            return null;
        }
        Lookup.Unservable u = (Lookup.Unservable) found;
        return new Refusal(
                "unservable",
                switch (u.why()) {
                    case UNKNOWN, REMOVED -> WeChatReplies.error(
                            40014, "no token for " + key + " is served by this sidecar");
                        // Outside this sidecar's keyring: a scope it does not serve, answered as any key it does not
                        // know.
                    case NO_KEY -> WeChatReplies.error(40014, u.reason());
                    case NOT_READY, EXPIRED, UNAVAILABLE -> WeChatReplies.error(-1, u.reason());
                });
    }

    private static HttpCall headerCall(Request request) {
        HttpFields headers = request.getHeaders();
        return new HttpCall(request.getMethod(), "", Map.of(), headers::get, new byte[0], Optional.empty());
    }
}
