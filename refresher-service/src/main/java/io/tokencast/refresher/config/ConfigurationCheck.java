package io.tokencast.refresher.config;

import io.tokencast.refresher.wechat.ManagedCredential;
import io.tokencast.refresher.wechat.TicketTokens;
import io.tokencast.refresher.wechat.WeChatApi;
import io.tokencast.schema.InvalidTokenKeyException;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks every {@code tokencast.*} property and collects all problems, so an operator fixes them in one
 * round instead of one restart per mistake. Never puts a secret into a problem.
 */
public final class ConfigurationCheck {

    /** What {@code tokencast.apps} takes; component and authorizer tokens are configured under tokencast.open-platform. */
    static final List<TokenKind> SUPPORTED_KINDS = List.of(
            TokenKind.WECHAT_ACCESS_TOKEN,
            TokenKind.WECOM_ACCESS_TOKEN,
            TokenKind.WECHAT_JSAPI_TICKET,
            TokenKind.WECHAT_CARD_TICKET,
            TokenKind.WECOM_JSAPI_TICKET,
            TokenKind.WECOM_AGENT_JSAPI_TICKET);

    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]+");
    private static final int TOPIC_MAX_LENGTH = 249;

    private final List<String> problems = new ArrayList<>();
    private final List<ManagedCredential> credentials = new ArrayList<>();

    /** The credentials and the problems found. */
    record Result(List<ManagedCredential> credentials, List<String> problems) {}

    private ConfigurationCheck() {}

    /**
     * The catalog of {@code tokencast.apps}.
     *
     * @throws InvalidConfigurationException listing every problem of the properties
     */
    public static CredentialCatalog catalog(TokencastProperties properties) {
        return catalog(properties, List.of(), List.of(), CredentialCatalog.Registry.NONE);
    }

    /**
     * The catalog of {@code tokencast.apps} plus credentials configured elsewhere (the open platform's), whose
     * problems are reported together with those of the properties, plus the credentials the registry holds.
     *
     * @throws InvalidConfigurationException listing every problem
     */
    public static CredentialCatalog catalog(
            TokencastProperties properties,
            List<ManagedCredential> more,
            List<String> moreProblems,
            CredentialCatalog.Registry registry) {
        Result result = of(properties);
        List<String> problems = new ArrayList<>(result.problems());
        problems.addAll(moreProblems);
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        List<ManagedCredential> configured = new ArrayList<>(result.credentials());
        configured.addAll(more);
        return new CredentialCatalog(configured, registry);
    }

    static Result of(TokencastProperties properties) {
        ConfigurationCheck check = new ConfigurationCheck();
        check.instanceId(properties.instanceId());
        check.topics(properties.topics());
        check.api("tokencast.wechat", properties.wechat());
        check.api("tokencast.wecom", properties.wecom());
        check.refresh(properties.refresh());
        check.quota(properties.quota());
        check.admin(properties.admin());
        check.apps(properties.apps());
        return new Result(List.copyOf(check.credentials), List.copyOf(check.problems));
    }

    private void instanceId(String instanceId) {
        if (instanceId == null || instanceId.isBlank()) {
            problem("tokencast.instance-id", "blank; name this replica (default ${HOSTNAME:refresher})");
        }
    }

    private void topics(TokencastProperties.Topics topics) {
        if (topics == null) {
            return;
        }
        Map<String, String> names = new LinkedHashMap<>();
        names.put("tokencast.topics.tokens", topics.tokens());
        names.put("tokencast.topics.audit", topics.audit());
        names.put("tokencast.topics.admin", topics.admin());
        names.put("tokencast.topics.credentials", topics.credentials());
        names.put("tokencast.topics.admin-dead-letter", topics.adminDeadLetter());
        names.put("tokencast.topics.reports", topics.reports());
        Map<String, String> seen = new HashMap<>();
        names.forEach((path, name) -> {
            if (topicName(path, name)) {
                String other = seen.putIfAbsent(name, path);
                if (other != null) {
                    problem(path, "'" + name + "' is also " + other + "; every topic needs its own name");
                }
            }
        });
        atLeastOne("tokencast.topics.partitions", topics.partitions());
        atLeastOne("tokencast.topics.replication-factor", topics.replicationFactor());
        atLeastOne("tokencast.topics.min-insync-replicas", topics.minInsyncReplicas());
        if (topics.replicationFactor() >= 1 && topics.minInsyncReplicas() > topics.replicationFactor()) {
            problem(
                    "tokencast.topics.min-insync-replicas",
                    topics.minInsyncReplicas() + " is above the replication factor " + topics.replicationFactor()
                            + "; no write could ever succeed");
        }
    }

    private boolean topicName(String path, String name) {
        if (name == null || name.isBlank()) {
            problem(path, "missing");
            return false;
        }
        if (name.length() > TOPIC_MAX_LENGTH) {
            problem(path, "is " + name.length() + " characters; Kafka allows " + TOPIC_MAX_LENGTH);
            return false;
        }
        if (name.equals(".") || name.equals("..") || !TOPIC.matcher(name).matches()) {
            problem(
                    path,
                    "'" + name + "' is not a valid Kafka topic name; use letters, digits, '.', '_' and '-'"
                            + " (not '.' or '..' alone)");
            return false;
        }
        return true;
    }

    private void api(String path, TokencastProperties.Api api) {
        if (api == null) {
            return;
        }
        URI url = api.apiBaseUrl();
        if (url != null) {
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!url.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
                problem(
                        path + ".api-base-url",
                        "'" + url + "' is not an absolute http(s) URL, e.g. https://api.weixin.qq.com"
                                + " or the sandbox's http://127.0.0.1:8081");
            } else if (url.getRawUserInfo() != null || url.getRawQuery() != null || url.getRawFragment() != null) {
                problem(
                        path + ".api-base-url",
                        "must be scheme://host[:port][/path], without user info, query or fragment");
            } else if (scheme.equals("http") && !api.allowInsecureBaseUrl()) {
                // AppSecrets go out in these calls and tokens come back: plain HTTP is for the sandbox only.
                problem(
                        path + ".api-base-url",
                        "'" + url + "' is plain http: AppSecrets and tokens would cross the network unencrypted;"
                                + " use https, or set " + path + ".allow-insecure-base-url=true for a local"
                                + " sandbox (tests and the demo do)");
            }
        }
        positive(path + ".timeout", api.timeout());
    }

    private void refresh(TokencastProperties.Refresh refresh) {
        if (refresh == null) {
            return;
        }
        positive("tokencast.refresh.tick", refresh.tick());
        positive("tokencast.refresh.lock-at-most-for", refresh.lockAtMostFor());
        positive("tokencast.refresh.retry-initial", refresh.retryInitial());
        positive("tokencast.refresh.permanent-failure-delay", refresh.permanentFailureDelay());
        if (positive("tokencast.refresh.retry-max", refresh.retryMax())
                && refresh.retryInitial() != null
                && refresh.retryMax().compareTo(refresh.retryInitial()) < 0) {
            problem("tokencast.refresh.retry-max", "is shorter than tokencast.refresh.retry-initial");
        }
        atLeastOne("tokencast.refresh.max-fetches-per-second", refresh.maxFetchesPerSecond());
    }

    private void quota(TokencastProperties.Quota quota) {
        if (quota == null) {
            return;
        }
        notNegative("tokencast.quota.classic-daily", quota.classicDaily());
        notNegative("tokencast.quota.stable-daily", quota.stableDaily());
        notNegative("tokencast.quota.stable-force-daily", quota.stableForceDaily());
        notNegative("tokencast.quota.wecom-daily", quota.wecomDaily());
        notNegative("tokencast.quota.wecom-ticket-hourly-per-corp", quota.wecomTicketHourlyPerCorp());
        notNegative("tokencast.quota.wecom-ticket-hourly-per-app", quota.wecomTicketHourlyPerApp());
    }

    private void admin(TokencastProperties.Admin admin) {
        if (admin == null) {
            return;
        }
        if (admin.groupId() == null || admin.groupId().isBlank()) {
            problem("tokencast.admin.group-id", "blank; name the consumer group the replicas share");
        }
        positive("tokencast.admin.min-interval-per-key", admin.minIntervalPerKey());
        positive("tokencast.admin.dedup-window", admin.dedupWindow());
        positive("tokencast.admin.probe-interval", admin.probeInterval());
        positive("tokencast.admin.command-freshness", admin.commandFreshness());
        if (admin.commandFreshness() != null
                && admin.dedupWindow() != null
                && admin.dedupWindow().compareTo(admin.commandFreshness().multipliedBy(2)) < 0) {
            // A command is fresh from requestedAt - freshness to requestedAt + freshness: its id must be
            // remembered that long, or a replay after the ledger forgot it would run again.
            problem(
                    "tokencast.admin.dedup-window",
                    admin.dedupWindow() + " is shorter than twice tokencast.admin.command-freshness ("
                            + admin.commandFreshness() + "); a replayed command could run twice");
        }
        if (!(admin.commandShare() >= 0 && admin.commandShare() <= 1)) {
            problem("tokencast.admin.command-share", "must be between 0 and 1, was " + admin.commandShare());
        }
        if (admin.reservedFetchesPerDay() < 0) {
            problem("tokencast.admin.reserved-fetches-per-day", "must not be negative");
        }
        if (admin.forcePerDay() < 0) {
            problem("tokencast.admin.force-per-day", "must not be negative");
        }
    }

    private void apps(List<TokencastProperties.App> apps) {
        Map<TokenKey, Integer> firstIndex = new HashMap<>();
        for (int i = 0; i < apps.size(); i++) {
            ManagedCredential credential = app("tokencast.apps[" + i + "]", apps.get(i));
            if (credential == null) {
                continue;
            }
            Integer earlier = firstIndex.putIfAbsent(credential.key(), i);
            if (earlier != null) {
                problem(
                        "tokencast.apps[" + i + "]",
                        "duplicate key " + credential.key() + ", already tokencast.apps[" + earlier
                                + "]; list each credential once");
            } else {
                credentials.add(credential);
            }
        }
        ticketsHaveTheirApp(firstIndex);
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
                problem(
                        "tokencast.apps[" + indexes.get(ticket.key()) + "].account",
                        ticket.key() + " is fetched with " + TicketTokens.needed(ticket.key()) + ", which is not in"
                                + " tokencast.apps; add that app (kind " + kind + ", with its secret)");
                credentials.remove(ticket);
            }
        }
    }

    /** The credential, or null after recording why there is none. */
    private ManagedCredential app(String path, TokencastProperties.App app) {
        if (app == null) {
            problem(path, "missing");
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
                + String.join(", ", SUPPORTED_KINDS.stream().map(TokenKind::id).toList());
        if (id == null || id.isBlank()) {
            problem(path, "missing; " + supported);
            return null;
        }
        TokenKind kind;
        try {
            kind = TokenKind.fromId(id.strip());
        } catch (InvalidTokenKeyException e) {
            problem(path, "unknown kind '" + id + "'; " + supported);
            return null;
        }
        if (kind == TokenKind.WECHAT_COMPONENT_ACCESS_TOKEN || kind == TokenKind.WECHAT_AUTHORIZER_ACCESS_TOKEN) {
            problem(
                    path,
                    "kind '" + kind.id() + "' is configured under tokencast.open-platform.components and"
                            + " tokencast.open-platform.authorizers, not tokencast.apps");
            return null;
        }
        if (!SUPPORTED_KINDS.contains(kind)) {
            problem(path, "kind '" + kind.id() + "' is not supported yet; " + supported);
            return null;
        }
        return kind;
    }

    private WeChatApi api(String path, TokenKind kind, String api) {
        if (kind == TokenKind.WECOM_ACCESS_TOKEN) {
            return WeChatApi.WECOM;
        }
        if (kind == TokenKind.WECHAT_JSAPI_TICKET) {
            return WeChatApi.JSAPI_TICKET;
        }
        if (kind == TokenKind.WECHAT_CARD_TICKET) {
            return WeChatApi.CARD_TICKET;
        }
        if (kind == TokenKind.WECOM_JSAPI_TICKET) {
            return WeChatApi.WECOM_JSAPI_TICKET;
        }
        if (kind == TokenKind.WECOM_AGENT_JSAPI_TICKET) {
            return WeChatApi.WECOM_AGENT_TICKET;
        }
        String value = api == null || api.isBlank() ? "stable" : api.strip().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "stable" -> WeChatApi.STABLE;
            case "classic" -> WeChatApi.CLASSIC;
            default -> {
                problem(path, "unknown api '" + api + "'; use stable (default) or classic");
                yield null;
            }
        };
    }

    private TokenKey key(String path, TokenKind kind, String account) {
        if (account == null || account.isBlank()) {
            problem(path, "missing; " + accountName(kind));
            return null;
        }
        TokenKey key;
        try {
            key = TokenKey.of(kind, account);
        } catch (InvalidTokenKeyException e) {
            problem(path, e.getMessage());
            return null;
        }
        boolean dotted = account.indexOf('.') >= 0;
        if (kind == TokenKind.WECOM_ACCESS_TOKEN || kind == TokenKind.WECOM_AGENT_JSAPI_TICKET) {
            int dot = account.indexOf('.');
            if (dot <= 0 || dot == account.length() - 1) {
                problem(path, "'" + account + "' is not corpid.agentid, e.g. ww0123456789abcdef.1000002");
                return null;
            }
        } else if (kind == TokenKind.WECOM_JSAPI_TICKET && dotted) {
            // The corp's ticket belongs to no app: an agentid here is a slip for wecom-agent-jsapi-ticket.
            problem(
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
            problem(path, "missing");
            return false;
        }
        if (!secret.equals(secret.strip())) {
            problem(path, "has leading or trailing whitespace (a copy-paste slip?); WeChat would reject it");
            return false;
        }
        return true;
    }

    private boolean positive(String path, Duration duration) {
        if (duration == null || duration.isZero() || duration.isNegative()) {
            problem(path, "must be a positive duration, e.g. 10s, was " + duration);
            return false;
        }
        return true;
    }

    private void atLeastOne(String path, int value) {
        if (value < 1) {
            problem(path, "must be at least 1, was " + value);
        }
    }

    private void notNegative(String path, int value) {
        if (value < 0) {
            problem(path, "must be 0 or more, was " + value);
        }
    }

    private void problem(String path, String what) {
        problems.add(path + ": " + what);
    }
}
