package io.tokencast.refresher.service.config;

import io.tokencast.refresher.wechat.ManagedCredential;
import io.tokencast.refresher.wechat.TicketTokens;
import io.tokencast.refresher.wechat.WeChatApi;
import io.tokencast.schema.InvalidTokenKeyException;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks {@code tokencast.apps} and names the credentials it configures, in configuration order: an app with a
 * problem, a duplicate of an earlier one, or a ticket whose app is not configured is left out and its problem
 * recorded. Never puts a secret into a problem.
 *
 * @param credentials the credentials of the apps without a problem
 */
public record ConfiguredApps(List<ManagedCredential> credentials) {

    /** What {@code tokencast.apps} takes; component and authorizer tokens are configured under tokencast.open-platform. */
    private static final List<TokenKind> SUPPORTED_KINDS = List.of(
            TokenKind.WECHAT_ACCESS_TOKEN,
            TokenKind.WECOM_ACCESS_TOKEN,
            TokenKind.WECHAT_JSAPI_TICKET,
            TokenKind.WECHAT_CARD_TICKET,
            TokenKind.WECOM_JSAPI_TICKET,
            TokenKind.WECOM_AGENT_JSAPI_TICKET);

    public ConfiguredApps {
        credentials = List.copyOf(credentials);
    }

    /** Checks the apps into {@code problems}; never throws for a configuration mistake, it records it. */
    public static ConfiguredApps check(List<TokencastProperties.App> apps, SettingsProblems problems) {
        return new Check(problems).apps(apps);
    }

    private static final class Check {

        private final SettingsProblems problems;
        private final List<ManagedCredential> credentials = new ArrayList<>();

        Check(SettingsProblems problems) {
            this.problems = problems;
        }

        ConfiguredApps apps(List<TokencastProperties.App> apps) {
            Map<TokenKey, Integer> firstIndex = new HashMap<>();
            for (int i = 0; i < apps.size(); i++) {
                ManagedCredential credential = app("tokencast.apps[" + i + "]", apps.get(i));
                if (credential == null) {
                    continue;
                }
                Integer earlier = firstIndex.putIfAbsent(credential.key(), i);
                if (earlier != null) {
                    problems.add(
                            "tokencast.apps[" + i + "]",
                            "duplicate key " + credential.key() + ", already tokencast.apps[" + earlier
                                    + "]; list each credential once");
                } else {
                    credentials.add(credential);
                }
            }
            ticketsHaveTheirApp(firstIndex);
            return new ConfiguredApps(credentials);
        }

        /** A ticket is fetched with its app's token, so that app must be kept fresh here too. */
        private void ticketsHaveTheirApp(Map<TokenKey, Integer> indexes) {
            for (ManagedCredential ticket : List.copyOf(credentials)) {
                if (!ticket.api().isTicket()) {
                    continue;
                }
                if (TicketTokens.of(ticket.key(), indexes.keySet()).isEmpty()) {
                    String kind = ticket.api() == WeChatApi.JSAPI_TICKET || ticket.api() == WeChatApi.CARD_TICKET
                            ? TokenKind.WECHAT_ACCESS_TOKEN.id()
                            : TokenKind.WECOM_ACCESS_TOKEN.id();
                    problems.add(
                            "tokencast.apps[" + indexes.get(ticket.key()) + "].account",
                            ticket.key() + " is fetched with " + TicketTokens.needed(ticket.key()) + ", which is not"
                                    + " in tokencast.apps; add that app (kind " + kind + ", with its secret)");
                    credentials.remove(ticket);
                }
            }
        }

        /** The credential, or null after recording why there is none. */
        private ManagedCredential app(String path, TokencastProperties.App app) {
            if (app == null) {
                problems.add(path, "missing");
                return null;
            }
            TokenKind kind = kind(path + ".kind", app.kind());
            WeChatApi api = kind == null ? null : api(path + ".api", kind, app.api());
            TokenKey key = kind == null ? null : key(path + ".account", kind, app.account());
            // A ticket is fetched with its app's token, not with a secret of its own.
            boolean secretOk = api != null && !api.needsSecret() || secret(path + ".secret", app.secret());
            if (kind == null || api == null || key == null || !secretOk) {
                return null;
            }
            return new ManagedCredential(key, api, app.secret());
        }

        private TokenKind kind(String path, String id) {
            String supported = "supported: "
                    + String.join(
                            ", ", SUPPORTED_KINDS.stream().map(TokenKind::id).toList());
            if (id == null || id.isBlank()) {
                problems.add(path, "missing; " + supported);
                return null;
            }
            TokenKind kind;
            try {
                kind = TokenKind.fromId(id.strip());
            } catch (InvalidTokenKeyException e) {
                problems.add(path, "unknown kind '" + id + "'; " + supported);
                return null;
            }
            if (kind == TokenKind.WECHAT_COMPONENT_ACCESS_TOKEN || kind == TokenKind.WECHAT_AUTHORIZER_ACCESS_TOKEN) {
                problems.add(
                        path,
                        "kind '" + kind.id() + "' is configured under tokencast.open-platform.components and"
                                + " tokencast.open-platform.authorizers, not tokencast.apps");
                return null;
            }
            if (!SUPPORTED_KINDS.contains(kind)) {
                problems.add(path, "kind '" + kind.id() + "' is not supported yet; " + supported);
                return null;
            }
            return kind;
        }

        private WeChatApi api(String path, TokenKind kind, String api) {
            switch (kind) {
                case WECOM_ACCESS_TOKEN:
                    return WeChatApi.WECOM;
                case WECHAT_JSAPI_TICKET:
                    return WeChatApi.JSAPI_TICKET;
                case WECHAT_CARD_TICKET:
                    return WeChatApi.CARD_TICKET;
                case WECOM_JSAPI_TICKET:
                    return WeChatApi.WECOM_JSAPI_TICKET;
                case WECOM_AGENT_JSAPI_TICKET:
                    return WeChatApi.WECOM_AGENT_TICKET;
                default:
                    break;
            }
            String value = api == null || api.isBlank() ? "stable" : api.strip().toLowerCase(Locale.ROOT);
            return switch (value) {
                case "stable" -> WeChatApi.STABLE;
                case "classic" -> WeChatApi.CLASSIC;
                default -> {
                    problems.add(path, "unknown api '" + api + "'; use stable (default) or classic");
                    yield null;
                }
            };
        }

        private TokenKey key(String path, TokenKind kind, String account) {
            if (account == null || account.isBlank()) {
                problems.add(path, "missing; " + accountName(kind));
                return null;
            }
            TokenKey key;
            try {
                key = TokenKey.of(kind, account);
            } catch (InvalidTokenKeyException e) {
                problems.add(path, e.getMessage());
                return null;
            }
            boolean dotted = account.indexOf('.') >= 0;
            if (kind == TokenKind.WECOM_ACCESS_TOKEN || kind == TokenKind.WECOM_AGENT_JSAPI_TICKET) {
                int dot = account.indexOf('.');
                if (dot <= 0 || dot == account.length() - 1) {
                    problems.add(path, "'" + account + "' is not corpid.agentid, e.g. ww0123456789abcdef.1000002");
                    return null;
                }
            } else if (kind == TokenKind.WECOM_JSAPI_TICKET && dotted) {
                // The corp's ticket belongs to no app: an agentid here is a slip for wecom-agent-jsapi-ticket.
                problems.add(
                        path,
                        "'" + account + "' is not a corpid, e.g. ww0123456789abcdef (an app's ticket is kind"
                                + " wecom-agent-jsapi-ticket)");
                return null;
            }
            return key;
        }

        private static String accountName(TokenKind kind) {
            return switch (kind) {
                case WECOM_ACCESS_TOKEN, WECOM_AGENT_JSAPI_TICKET -> "corpid.agentid";
                case WECOM_JSAPI_TICKET -> "the corpid";
                default -> "the appid";
            };
        }

        private boolean secret(String path, String secret) {
            if (secret == null || secret.isBlank()) {
                problems.add(path, "missing");
                return false;
            }
            if (!secret.equals(secret.strip())) {
                problems.add(path, "has leading or trailing whitespace (a copy-paste slip?); WeChat would reject it");
                return false;
            }
            return true;
        }
    }
}
