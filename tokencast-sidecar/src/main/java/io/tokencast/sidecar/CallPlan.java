package io.tokencast.sidecar;

import io.tokencast.consumer.Token;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The account a forwarded call uses and the tokens that go upstream in place of what the caller sent.
 *
 * @param primary the key the call is made for (its kind picks the upstream, its token is retried), or null for a
 *     call that carries no tokencast credential (user OAuth, say)
 * @param tokens the current token of every key the call names
 * @param query the query's {@code name=value} pairs as sent: {@code {raw, decoded name}}
 * @param occurrences each credential parameter's key, in order; null for one passed through untouched
 * @param headerKey the key {@code X-Tokencast-Key} named, or null
 */
record CallPlan(
        TokenKey primary,
        Map<TokenKey, Token> tokens,
        List<String[]> query,
        List<TokenKey> occurrences,
        TokenKey headerKey)
        implements CredentialResolver.Resolution {

    static final Set<String> CREDENTIAL_PARAMS = Set.of("access_token", "component_access_token");

    /** The same call with {@code token} for {@code key}: what a retry after a rotation sends. */
    CallPlan withToken(TokenKey key, Token token) {
        Map<TokenKey, Token> updated = new LinkedHashMap<>(tokens);
        updated.put(key, token);
        return new CallPlan(primary, updated, query, occurrences, headerKey);
    }

    /** The token the call is retried over: the primary key's, or null when it has none. */
    Token primaryToken() {
        return primary == null ? null : tokens.get(primary);
    }

    /** The query as it goes upstream: every tokencast credential replaced by its key's token; null for none. */
    String upstreamQuery() {
        if (primary == null && query.isEmpty()) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        boolean headerApplied = false;
        int occurrence = 0;
        for (String[] pair : query) {
            String raw = pair[0];
            String name = pair[1];
            if (CREDENTIAL_PARAMS.contains(name)) {
                TokenKey key = occurrences.get(occurrence++);
                if (headerKey != null && name.equals(param(headerKey))) {
                    key = headerKey;
                    headerApplied = true;
                }
                if (key != null) {
                    append(out, name, tokens.get(key));
                    continue;
                }
            }
            separate(out).append(raw);
        }
        if (headerKey != null && !headerApplied) {
            append(out, param(headerKey), tokens.get(headerKey));
        }
        return out.toString();
    }

    private static void append(StringBuilder out, String name, Token token) {
        separate(out).append(name).append('=').append(encoded(token.value()));
    }

    /** The value as a query carries it; WeChat's tokens need no escaping, so most go as they are. */
    private static String encoded(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean plain = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '_'
                    || c == '.'
                    || c == '*';
            if (!plain) {
                return URLEncoder.encode(value, StandardCharsets.UTF_8);
            }
        }
        return value;
    }

    private static StringBuilder separate(StringBuilder out) {
        return out.isEmpty() ? out : out.append('&');
    }

    /** The query parameter a key's token travels in. */
    static String param(TokenKey key) {
        return key.kind() == TokenKind.WECHAT_COMPONENT_ACCESS_TOKEN ? "component_access_token" : "access_token";
    }

    @Override
    public String toString() {
        // Never the tokens, nor the query (SDKs put secrets in it).
        return "CallPlan[primary=" + primary + ", headerKey=" + headerKey + "]";
    }
}
