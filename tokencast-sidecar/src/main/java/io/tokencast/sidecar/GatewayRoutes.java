package io.tokencast.sidecar;

import io.tokencast.schema.TokenKind;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a gateway call may go, decided by its path and its resolved key's kind, never by the request's host.
 *
 * <p>The upstream table (docs/design.md §5.6, gateway mode; the README's "Calling WeChat through the sidecar"):
 *
 * <table>
 * <caption>upstreams</caption>
 * <tr><th>call</th><th>upstream</th></tr>
 * <tr><td>a WeCom kind's key</td><td>{@code wecom} (qyapi.weixin.qq.com)</td></tr>
 * <tr><td>{@code /cgi-bin/showqrcode} (no token: a QR code by its ticket)</td><td>{@code mp} (mp.weixin.qq.com)</td></tr>
 * <tr><td>{@code /cgi-bin/media/upload}, {@code /cgi-bin/media/get} of a WeChat kind</td>
 *     <td>{@code file} (file.api.weixin.qq.com)</td></tr>
 * <tr><td>everything else</td><td>{@code wechat} (api.weixin.qq.com)</td></tr>
 * </table>
 */
final class GatewayRoutes {

    /** What the gateway does with a path. */
    enum Route {
        /** A WeChat API call that needs the fleet's token. */
        FORWARD,
        /** User OAuth, {@code jscode2session}, {@code showqrcode}: forwarded untouched when they carry no tokencast credential. */
        OPEN,
        /** Mints or reveals credentials: never forwarded. */
        REFUSED,
        /** WeCom's ticket endpoints: answered from the view. */
        WECOM_TICKET,
        /** Not a WeChat API path the gateway knows. */
        UNMAPPED
    }

    /** The first path segments of WeChat's and WeCom's APIs. */
    private static final Set<String> API_ROOTS = Set.of(
            "cgi-bin",
            "sns",
            "wxa",
            "wxaapi",
            "datacube",
            "card",
            "customservice",
            "merchant",
            "semantic",
            "shop",
            "product",
            "channels",
            "tcb",
            "wxopen",
            "componenttcb",
            "union",
            "bizwifi",
            "device",
            "scan",
            "marketing",
            "intp",
            "express",
            "mall",
            "pay",
            "poi",
            "shakearound",
            "wxamp",
            "wxaapp",
            "open",
            "mmpay-web");

    /** Paths whose answers carry credentials only the refresher may hold, or that mint them. */
    private static final Set<String> REFUSED = Set.of(
            "/cgi-bin/token",
            "/cgi-bin/stable_token",
            "/cgi-bin/gettoken",
            "/cgi-bin/component/api_component_token",
            "/cgi-bin/component/api_authorizer_token",
            "/cgi-bin/component/api_query_auth",
            "/cgi-bin/component/api_get_authorizer_list",
            // Its authorization_info carries the authorizer's refresh token.
            "/cgi-bin/component/api_get_authorizer_info",
            "/cgi-bin/component/api_create_preauthcode",
            "/cgi-bin/component/api_start_push_ticket",
            "/cgi-bin/service/get_provider_token",
            "/cgi-bin/service/get_suite_token",
            "/cgi-bin/service/get_corp_token",
            "/cgi-bin/service/get_permanent_code");

    private static final int MAX_TEMPLATES = 200;
    private final Set<String> templates = ConcurrentHashMap.newKeySet();
    private final GatewayConfig config;

    GatewayRoutes(GatewayConfig config) {
        this.config = config;
    }

    Route route(String path) {
        if (REFUSED.contains(path)) {
            return Route.REFUSED;
        }
        if (path.equals("/cgi-bin/get_jsapi_ticket") || path.equals("/cgi-bin/ticket/get")) {
            return Route.WECOM_TICKET;
        }
        if (path.startsWith("/sns/") || path.endsWith("/jscode2session") || path.equals("/cgi-bin/showqrcode")) {
            return Route.OPEN;
        }
        int second = path.indexOf('/', 1);
        String root = second < 0 ? path.substring(1) : path.substring(1, second);
        return second > 1 && API_ROOTS.contains(root) ? Route.FORWARD : Route.UNMAPPED;
    }

    /** The upstream of a call whose key has {@code kind} (null when it carries no tokencast credential). */
    URI upstream(String path, TokenKind kind) {
        if (kind != null && kind.name().startsWith("WECOM_")) {
            return config.wecom();
        }
        if (path.equals("/cgi-bin/showqrcode")) {
            return config.mp();
        }
        if (path.equals("/cgi-bin/media/upload") || path.equals("/cgi-bin/media/get")) {
            return config.file();
        }
        return config.wechat();
    }

    /**
     * The metric tag for a path: the path itself for the first {@value #MAX_TEMPLATES} API paths seen (WeChat's
     * paths carry no identifiers), then {@code other}; so the tag's cardinality is bounded whatever callers send.
     */
    String template(String path, Route route) {
        if (route == Route.UNMAPPED || path.length() > 96) {
            return "unmapped";
        }
        if (templates.contains(path)) {
            return path;
        }
        if (templates.size() < MAX_TEMPLATES && path.matches("(/[A-Za-z0-9_.-]+)+")) {
            templates.add(path);
            return path;
        }
        return "other";
    }
}
