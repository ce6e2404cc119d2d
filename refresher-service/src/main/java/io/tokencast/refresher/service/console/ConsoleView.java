package io.tokencast.refresher.service.console;

import java.util.List;

/**
 * What the console page shows, as sent to the browser: versions, fingerprints and times (epoch millis), never a
 * token. Built field by field from the refresher's state, so nothing secret can ride along by accident.
 */
record ConsoleView(
        long now,
        String servedBy,
        String leader,
        List<Replica> replicas,
        List<TokenRow> tokens,
        int tokensNotShown,
        List<Instance> instances,
        List<DeadLetter> deadLetters,
        List<String> problems) {

    record Replica(String instanceId, long lastSeen) {}

    /**
     * One managed token key.
     *
     * @param state FRESH, STALE (its planned refresh is overdue), EXPIRED or ABSENT (never fetched)
     */
    record TokenRow(
            String key,
            String kind,
            String account,
            String api,
            long version,
            String fingerprint,
            String state,
            Long issuedAt,
            Long expiresAt,
            Long nextRefreshAt,
            Outcome lastOutcome,
            String retrying,
            Quota quota,
            Quota forceQuota,
            Fleet fleet) {}

    record Outcome(
            long at,
            String outcome,
            String reason,
            Long version,
            String fingerprint,
            String requestedBy,
            String onBehalfOf,
            String errorCode,
            String errorMessage,
            Long durationMs,
            String refresher) {}

    record Quota(long used, long limit) {}

    record Fleet(int current, List<Laggard> behind) {}

    record Laggard(
            String instanceId, String service, String host, long heldVersion, Long behindSince, long behindForMs) {}

    /**
     * One consumer instance of the fleet view.
     *
     * @param signatures whether it verifies signatures and against which refresher kids; null when its heartbeat
     *     does not say (a library older than signing)
     */
    record Instance(
            String instanceId,
            String service,
            String host,
            String libraryVersion,
            long startedAt,
            long lastSeen,
            boolean live,
            boolean brokerContactLost,
            int held,
            Signatures signatures) {}

    record Signatures(boolean verified, List<String> kids) {}

    record DeadLetter(long at, String problem, String message, String from, String valueSize) {}
}
