package io.tokencast.refresher.service.config;

import io.tokencast.schema.DefaultTopics;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Every {@code tokencast.*} property of the refresher (docs/design.md §3.5). Validated as a whole at start: one
 * message lists every problem.
 *
 * @param instanceId this replica's name in events, audit records and locks
 * @param apps the credentials this refresher keeps fresh
 */
@ConfigurationProperties("tokencast")
public record TokencastProperties(
        @DefaultValue("refresher") String instanceId,
        @DefaultValue Topics topics,
        @DefaultValue Api wechat,
        @DefaultValue Api wecom,
        @DefaultValue Redis redis,
        @DefaultValue Refresh refresh,
        @DefaultValue Quota quota,
        @DefaultValue Admin admin,
        List<App> apps) {

    public TokencastProperties {
        apps = apps == null ? List.of() : List.copyOf(apps);
    }

    /**
     * Kafka topic names and how the refresher creates them when missing.
     *
     * @param tokens the compacted topic of {@code TokenRefreshed} events, keyed by token key
     * @param audit the append-only topic of {@code RefreshAttempted} records (90 days)
     * @param admin where {@code RefreshRequested} commands arrive (7 days)
     * @param credentials the compacted topic of {@code CredentialStored}: verify tickets, refresh tokens
     * @param partitions partitions of each topic created at start (1 for the demo)
     * @param replicationFactor replication of each topic created at start (3 in production)
     * @param minInsyncReplicas {@code min.insync.replicas} of created topics (2 in production)
     * @param adminDeadLetter where admin-topic records that are not valid commands are kept for inspection;
     *     default: the admin topic's name plus {@code .dlt}
     * @param consumers the compacted topic of consumers' heartbeats ({@code ConsumerHeartbeat}, keyed by
     *     instance id), read by the fleet view
     * @param reports where services' invalid-token reports arrive ({@code RefreshRequested} with
     *     {@code ifFingerprint}, never {@code force}; 1 day): services write here, operators' signed commands go
     *     to {@code admin}
     */
    public record Topics(
            @DefaultValue(DefaultTopics.TOKENS) String tokens,
            @DefaultValue(DefaultTopics.AUDIT) String audit,
            @DefaultValue(DefaultTopics.ADMIN) String admin,
            @DefaultValue(DefaultTopics.CREDENTIALS) String credentials,
            @DefaultValue("1") int partitions,
            @DefaultValue("1") short replicationFactor,
            @DefaultValue("1") int minInsyncReplicas,
            String adminDeadLetter,
            @DefaultValue(DefaultTopics.CONSUMERS) String consumers,
            @DefaultValue(DefaultTopics.REPORTS) String reports) {

        public Topics {
            if (reports == null || reports.isBlank()) {
                reports = DefaultTopics.REPORTS;
            }
            // Follows the admin topic, so renaming that one moves its dead letters along.
            if (adminDeadLetter == null || adminDeadLetter.isBlank()) {
                adminDeadLetter = admin + DefaultTopics.DEAD_LETTER_SUFFIX;
            }
        }
    }

    /**
     * A WeChat API host.
     *
     * @param apiBaseUrl e.g. {@code https://api.weixin.qq.com}; the sandbox's URL in tests
     * @param timeout connect and response timeout of one call
     * @param allowInsecureBaseUrl whether an {@code http://} base URL may be used (tests and the demo, which talk to
     *     the sandbox); off by default, so a typo cannot send secrets and tokens over plain HTTP
     */
    public record Api(
            URI apiBaseUrl,
            @DefaultValue("10s") Duration timeout,
            @DefaultValue("false") boolean allowInsecureBaseUrl) {}

    /** @param keyPrefix prefix of every Redis key tokencast writes */
    public record Redis(@DefaultValue("tokencast:") String keyPrefix) {}

    /**
     * Refresh scheduling.
     *
     * @param tick how often the leader plans
     * @param lockAtMostFor how long a crashed leader keeps the lock
     * @param retryInitial first backoff after a retryable failure
     * @param retryMax longest backoff between retries
     * @param permanentFailureDelay how long a key rests after an error retrying cannot fix (wrong secret, IP), or
     *     after its daily quota is spent (then at most until the next WeChat day)
     * @param maxFetchesPerSecond at most this many WeChat fetches start in any second
     */
    public record Refresh(
            @DefaultValue("1s") Duration tick,
            @DefaultValue("30s") Duration lockAtMostFor,
            @DefaultValue("2s") Duration retryInitial,
            @DefaultValue("5m") Duration retryMax,
            @DefaultValue("1h") Duration permanentFailureDelay,
            @DefaultValue("50") int maxFetchesPerSecond) {}

    /**
     * Daily WeChat budgets, counted per app and Asia/Shanghai day in Redis; tokencast refuses a fetch over
     * budget before WeChat does.
     *
     * @param classicDaily {@code /cgi-bin/token} fetches per day
     * @param stableForceDaily forced {@code stable_token} fetches per day
     * @param stableDaily normal-mode {@code stable_token} fetches per day
     * @param wecomDaily WeCom {@code gettoken} fetches per day
     * @param wecomTicketHourlyPerCorp WeCom ticket fetches ({@code get_jsapi_ticket} and {@code ticket/get}) per corp
     *     and clock hour, all its apps together (WeCom: 400)
     * @param wecomTicketHourlyPerApp WeCom ticket fetches per clock hour made with one app's token (WeCom: 100)
     */
    public record Quota(
            @DefaultValue("2000") int classicDaily,
            @DefaultValue("20") int stableForceDaily,
            @DefaultValue("500000") int stableDaily,
            @DefaultValue("2000") int wecomDaily,
            @DefaultValue("400") int wecomTicketHourlyPerCorp,
            @DefaultValue("100") int wecomTicketHourlyPerApp) {}

    /**
     * Manual refreshes from the admin topic and invalid-token reports from the reports topic (docs/design.md
     * §4.3, docs/security.md §6).
     *
     * @param enabled whether this replica serves commands from the admin topic and reports from the reports topic
     * @param groupId the consumer group of the replicas: any one of them takes a given command; reports are read
     *     in the group {@code <groupId>.reports}, so a flood of reports never holds up an operator's command
     * @param minIntervalPerKey at most one command-caused WeChat fetch per key in this interval (WeChat
     *     itself wants 30 s between forced stable-token fetches)
     * @param dedupWindow how long a command id is remembered; a report older than this is refused, as it could
     *     no longer be told apart from a replay. At least twice {@code commandFreshness}
     * @param commandShare the share of a key's daily WeChat budget that commands may spend (0 to 1); the rest is
     *     the scheduler's, so commands can never starve the refreshes that keep the fleet alive
     * @param reservedFetchesPerDay fetches per key and day kept for the scheduler whatever the share: twice the
     *     16 a classic token needs (one every 90 minutes)
     * @param forcePerDay forced stable-token fetches per key and day that commands may use, of WeChat's 20
     * @param probeInterval how often a reported token is checked with WeChat (getcallbackip) at most, per key and
     *     fingerprint; an "alive" answer is trusted this long
     * @param operatorKeysFile the operators' public JWK set (each key with a {@code name}), written by
     *     {@code tokencast keys generate --operator}: only commands signed with one of these keys are served from
     *     the admin topic, credited to the key's name. Unset: the admin topic refuses every command
     * @param commandFreshness how far a signed command's {@code requestedAt} may lie from this refresher's clock,
     *     either way, clock skew included; further off it is refused ({@code STALE_COMMAND}), so a recorded
     *     command cannot be replayed once its id is forgotten
     */
    public record Admin(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("tokencast-refresher") String groupId,
            @DefaultValue("30s") Duration minIntervalPerKey,
            @DefaultValue("24h") Duration dedupWindow,
            @DefaultValue("0.5") double commandShare,
            @DefaultValue("32") int reservedFetchesPerDay,
            @DefaultValue("5") int forcePerDay,
            @DefaultValue("30s") Duration probeInterval,
            Path operatorKeysFile,
            @DefaultValue("10m") Duration commandFreshness) {}

    /**
     * One credential to keep fresh.
     *
     * @param kind e.g. {@code wechat-access-token}
     * @param account appid, or {@code corpid.agentid} for WeCom
     * @param secret the AppSecret (or WeCom agent secret); never logged
     * @param api for {@code wechat-access-token}: {@code stable} (default) or {@code classic}
     */
    public record App(String kind, String account, String secret, @DefaultValue("stable") String api) {
        @Override
        public String toString() {
            return "App[kind=" + kind + ", account=" + account + ", api=" + api + ", secret=<redacted>]";
        }
    }
}
