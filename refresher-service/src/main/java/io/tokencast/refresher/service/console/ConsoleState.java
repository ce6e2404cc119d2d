package io.tokencast.refresher.service.console;

import io.tokencast.refresher.config.CredentialCatalog;
import io.tokencast.refresher.leader.Leadership;
import io.tokencast.refresher.quota.QuotaGuard;
import io.tokencast.refresher.service.fleet.FleetInstance;
import io.tokencast.refresher.service.fleet.FleetQuery;
import io.tokencast.refresher.service.fleet.KeyFleet;
import io.tokencast.refresher.store.StoredToken;
import io.tokencast.refresher.store.TokenStore;
import io.tokencast.refresher.wechat.FetchMode;
import io.tokencast.refresher.wechat.ManagedCredential;
import io.tokencast.refresher.wechat.WeChatApi;
import io.tokencast.schema.RefreshAttempted;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Puts together what the console shows from Redis, the fleet view, the audit and dead-letter tails. */
final class ConsoleState {

    /** Past its planned refresh by this much a token counts as STALE, as the consumers judge it by default. */
    static final Duration STALE_GRACE = Duration.ofMinutes(2);

    private static final Duration QUOTA_CACHE = Duration.ofSeconds(5);
    private static final int MAX_INSTANCES = 500;
    private static final int MAX_MESSAGE = 300;

    private final String instanceId;
    private final ConsoleSettings settings;
    private final CredentialCatalog catalog;
    private final TokenStore store;
    private final QuotaGuard quota;
    private final Leadership leadership;
    private final FleetQuery fleet;
    private final ReplicaRoster roster;
    private final AuditLog audit;
    private final DeadLetterLog deadLetters;
    private final Clock clock;
    private final Map<String, CachedQuota> quotas = new ConcurrentHashMap<>();

    ConsoleState(
            String instanceId,
            ConsoleSettings settings,
            CredentialCatalog catalog,
            TokenStore store,
            QuotaGuard quota,
            Leadership leadership,
            FleetQuery fleet,
            ReplicaRoster roster,
            AuditLog audit,
            DeadLetterLog deadLetters,
            Clock clock) {
        this.instanceId = instanceId;
        this.settings = settings;
        this.catalog = catalog;
        this.store = store;
        this.quota = quota;
        this.leadership = leadership;
        this.fleet = fleet;
        this.roster = roster;
        this.audit = audit;
        this.deadLetters = deadLetters;
        this.clock = clock;
    }

    /** Everything the page shows now. A part that cannot be read is named in {@code problems}. */
    ConsoleView view() {
        Instant now = clock.instant();
        List<String> problems = new ArrayList<>();
        List<ManagedCredential> all = catalog.all();
        List<ManagedCredential> shown = all.stream().limit(settings.maxKeys()).toList();
        List<TokenKey> keys = shown.stream().map(ManagedCredential::key).toList();
        Map<TokenKey, StoredToken> stored = new HashMap<>();
        try {
            stored = store.readAll(keys);
        } catch (RuntimeException e) {
            problems.add("Redis: " + e.getClass().getSimpleName());
        }
        Map<TokenKey, KeyFleet> fleets = new HashMap<>();
        fleet.forKeys(stored, keys).forEach(answer -> fleets.put(answer.tokenKey(), answer));
        List<ConsoleView.TokenRow> rows = new ArrayList<>(shown.size());
        for (ManagedCredential credential : shown) {
            rows.add(row(credential, stored.get(credential.key()), fleets.get(credential.key()), now, problems));
        }
        String leader = null;
        List<ConsoleView.Replica> replicas = List.of();
        try {
            leader = leadership.leaderId().orElse(null);
            replicas = roster.live();
        } catch (RuntimeException e) {
            problems.add("Redis (leader and replicas): " + e.getClass().getSimpleName());
        }
        return new ConsoleView(
                now.toEpochMilli(),
                instanceId,
                leader,
                replicas,
                rows,
                all.size() - shown.size(),
                instances(),
                deadLetters.recent(),
                problems.stream().distinct().toList());
    }

    private ConsoleView.TokenRow row(
            ManagedCredential credential, StoredToken stored, KeyFleet keyFleet, Instant now, List<String> problems) {
        TokenKey key = credential.key();
        TokenRefreshed token = stored == null ? null : stored.token();
        ConsoleView.Quota normal = null;
        ConsoleView.Quota force = null;
        try {
            normal = quota(credential, FetchMode.NORMAL, now);
            force = credential.api() == WeChatApi.STABLE ? quota(credential, FetchMode.FORCE, now) : null;
        } catch (RuntimeException e) {
            problems.add("Redis (quota): " + e.getClass().getSimpleName());
        }
        String retrying =
                stored == null || stored.retry() == null || stored.retry().failures() == 0
                        ? null
                        : stored.retry().errorCode() + " ×" + stored.retry().failures()
                                + (stored.retry().stopped() ? " (resting)" : "");
        return new ConsoleView.TokenRow(
                key.asString(),
                key.kind().id(),
                key.account(),
                credential.api().name().toLowerCase(Locale.ROOT),
                token == null ? 0 : token.version(),
                token == null ? null : token.fingerprint(),
                state(token, now),
                token == null ? null : token.issuedAt().toEpochMilli(),
                token == null ? null : token.expiresAt().toEpochMilli(),
                token == null ? null : token.nextRefreshAt().toEpochMilli(),
                audit.last(key.asString()).map(ConsoleState::outcome).orElse(null),
                retrying,
                normal,
                force,
                fleet(keyFleet));
    }

    static String state(TokenRefreshed token, Instant now) {
        if (token == null) {
            return "ABSENT";
        }
        if (!now.isBefore(token.expiresAt())) {
            return "EXPIRED";
        }
        return now.isBefore(token.nextRefreshAt().plus(STALE_GRACE)) ? "FRESH" : "STALE";
    }

    static ConsoleView.Outcome outcome(RefreshAttempted attempt) {
        String message = attempt.errorMessage();
        if (message != null && message.length() > MAX_MESSAGE) {
            message = message.substring(0, MAX_MESSAGE) + "…";
        }
        return new ConsoleView.Outcome(
                attempt.at().toEpochMilli(),
                attempt.outcome().name(),
                attempt.reason() == null ? null : attempt.reason().name(),
                attempt.version(),
                attempt.fingerprint(),
                attempt.requestedBy(),
                attempt.onBehalfOf(),
                attempt.errorCode(),
                message,
                attempt.durationMs(),
                attempt.refresher());
    }

    private static ConsoleView.Fleet fleet(KeyFleet answer) {
        if (answer == null) {
            return new ConsoleView.Fleet(0, List.of());
        }
        return new ConsoleView.Fleet(
                answer.current(),
                answer.behind().stream()
                        .map(l -> new ConsoleView.Laggard(
                                l.instanceId(),
                                l.service(),
                                l.host(),
                                l.heldVersion(),
                                l.behindSince() == null ? null : l.behindSince().toEpochMilli(),
                                l.behindFor().toMillis()))
                        .toList());
    }

    private List<ConsoleView.Instance> instances() {
        return fleet.view().instances().stream()
                .limit(MAX_INSTANCES)
                .map(ConsoleState::instance)
                .toList();
    }

    static ConsoleView.Instance instance(FleetInstance instance) {
        var heartbeat = instance.heartbeat();
        var signatures = heartbeat.signatures();
        return new ConsoleView.Instance(
                heartbeat.instanceId(),
                heartbeat.service(),
                heartbeat.host(),
                heartbeat.libraryVersion(),
                heartbeat.startedAt().toEpochMilli(),
                instance.lastSeen().toEpochMilli(),
                instance.live(),
                heartbeat.brokerContact() != null && heartbeat.brokerContact().lost(),
                heartbeat.held().size(),
                signatures == null ? null : new ConsoleView.Signatures(signatures.verified(), signatures.kids()));
    }

    // Quota lives in Redis and costs two reads per key and mode: read at most every few seconds.
    private ConsoleView.Quota quota(ManagedCredential credential, FetchMode mode, Instant now) {
        String cacheKey = credential.key().asString() + "#" + mode;
        CachedQuota cached = quotas.get(cacheKey);
        if (cached == null || now.isAfter(cached.readAt().plus(QUOTA_CACHE)) || now.isBefore(cached.readAt())) {
            cached = new CachedQuota(
                    new ConsoleView.Quota(quota.usedToday(credential, mode), quota.dailyLimit(credential, mode)), now);
            if (quotas.size() < 4 * settings.maxKeys()) {
                quotas.put(cacheKey, cached);
            }
        }
        return cached.quota();
    }

    /** Forgets cached quota, so the next view shows what a command just spent. */
    void quotaChanged() {
        quotas.clear();
    }

    List<ConsoleView.Outcome> history(TokenKey key) {
        return audit.history(key.asString()).stream().map(ConsoleState::outcome).toList();
    }

    private record CachedQuota(ConsoleView.Quota quota, Instant readAt) {}
}
