package io.tokencast.sidecar;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;

/**
 * The headers a gateway call carries across, both ways: never the hop-by-hop ones (RFC 9110, section 7.6.1),
 * nor those a {@code Connection} header names, nor tokencast's own; lengths and framing are the next hop's.
 */
final class HopByHop {

    private static final Set<String> DROPPED_REQUEST_HEADERS = Set.of(
            "connection",
            "keep-alive",
            "proxy-authenticate",
            "proxy-authorization",
            "proxy-connection",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
            "host",
            "expect",
            "content-length",
            "x-tokencast-key",
            "x-tokencast-token");

    private static final Set<String> DROPPED_RESPONSE_HEADERS = Set.of(
            "connection",
            "keep-alive",
            "proxy-authenticate",
            "proxy-connection",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
            "content-length");

    private HopByHop() {}

    /**
     * The caller's headers as they go upstream.
     *
     * @param dropAuthorization the sidecar's shared token travels in {@code Authorization}: never WeChat's business
     */
    static void copyRequest(HttpFields from, HttpFields.Mutable to, boolean dropAuthorization) {
        Set<String> listed = connectionListed(from);
        for (HttpField field : from) {
            String name = field.getLowerCaseName();
            if (DROPPED_REQUEST_HEADERS.contains(name)
                    || listed.contains(name)
                    || (dropAuthorization && name.equals("authorization"))) {
                continue;
            }
            to.add(field);
        }
    }

    /** The upstream's headers as they go back to the caller. */
    static void copyResponse(HttpFields from, HttpFields.Mutable to) {
        Set<String> listed = connectionListed(from);
        for (HttpField field : from) {
            String name = field.getLowerCaseName();
            if (!DROPPED_RESPONSE_HEADERS.contains(name) && !listed.contains(name)) {
                to.add(field);
            }
        }
    }

    private static Set<String> connectionListed(HttpFields headers) {
        String connection = headers.get(HttpHeader.CONNECTION);
        if (connection == null) {
            return Set.of();
        }
        Set<String> out = new HashSet<>();
        for (String token : connection.split(",")) {
            out.add(token.strip().toLowerCase(Locale.ROOT));
        }
        return out;
    }
}
