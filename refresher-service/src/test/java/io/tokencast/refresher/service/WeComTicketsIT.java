package io.tokencast.refresher.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tokencast.schema.Fingerprint;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.testkit.LocalInfrastructure;
import io.tokencast.testkit.wechat.SandboxCall;
import io.tokencast.testkit.wechat.WeChatEndpoint;
import io.tokencast.trust.encryption.EncryptionKeyring;
import io.tokencast.trust.encryption.RecordEncryption;
import io.tokencast.trust.signing.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * WeCom's two tickets end to end: configured next to their apps' tokens, fetched with those tokens from the
 * sandbox's qyapi endpoints, published signed and encrypted, and refreshed ahead of expiry over six virtual hours
 * with one WeCom call per version, far inside WeCom's hourly limits.
 */
class WeComTicketsIT {

    private static final String CORP = "ww" + Long.toHexString(System.nanoTime() & 0xffffffffL) + "c0";
    private static final String FIRST_APP = CORP + ".1000002";
    private static final String SECOND_APP = CORP + ".1000003";
    private static final String FIRST_SECRET = "wecom-secret-" + Long.toHexString(System.nanoTime());
    private static final String SECOND_SECRET = "wecom-secret-" + Long.toHexString(System.nanoTime() + 1);
    private static final TokenKey CORP_TICKET = TokenKey.parse("wecom-jsapi-ticket/" + CORP);
    private static final TokenKey AGENT_TICKET = TokenKey.parse("wecom-agent-jsapi-ticket/" + SECOND_APP);
    private static final List<TokenKey> KEYS = List.of(
            TokenKey.parse("wecom-access-token/" + FIRST_APP),
            TokenKey.parse("wecom-access-token/" + SECOND_APP),
            CORP_TICKET,
            AGENT_TICKET);

    private final EncryptionKeyring keyring = EncryptionKeyring.generate(
            "it-wecom", List.of("wecom-access-token/*", "wecom-jsapi-ticket/*", "wecom-agent-jsapi-ticket/*"));
    private final RecordEncryption encryption = RecordEncryption.with(keyring);
    private RefresherCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void bothTicketsArePublishedSignedAndEncryptedAndRefreshedAheadOfExpiryWithinTheHourlyLimits() {
        // given a corp with two apps, the corp's ticket and the second app's agent_config ticket
        cluster = new RefresherCluster(
                LocalInfrastructure.shared().redisUrl(),
                List.of(),
                Map.ofEntries(
                        Map.entry("tokencast.encryption.keyring-json", keyring.toJson()),
                        Map.entry("tokencast.apps[0].kind", "wecom-access-token"),
                        Map.entry("tokencast.apps[0].account", FIRST_APP),
                        Map.entry("tokencast.apps[0].secret", FIRST_SECRET),
                        Map.entry("tokencast.apps[1].kind", "wecom-access-token"),
                        Map.entry("tokencast.apps[1].account", SECOND_APP),
                        Map.entry("tokencast.apps[1].secret", SECOND_SECRET),
                        Map.entry("tokencast.apps[2].kind", "wecom-jsapi-ticket"),
                        Map.entry("tokencast.apps[2].account", CORP),
                        Map.entry("tokencast.apps[3].kind", "wecom-agent-jsapi-ticket"),
                        Map.entry("tokencast.apps[3].account", SECOND_APP)));
        cluster.sandbox.registerWeComApp(CORP, "1000002", FIRST_SECRET);
        cluster.sandbox.registerWeComApp(CORP, "1000003", SECOND_SECRET);

        // when the refresher starts, and then six virtual hours pass
        cluster.start("wecom");
        awaitNudging(() -> cluster.latest().keySet().containsAll(KEYS));
        Instant end = cluster.clock.instant().plus(Duration.ofHours(6));
        while (cluster.clock.instant().isBefore(end)) {
            refreshTheNextTicket();
        }

        // then
        for (TokenKey ticket : List.of(CORP_TICKET, AGENT_TICKET)) {
            List<TokenRefreshed> history = history(ticket);
            assertThat(history).as(ticket + " versions").hasSizeGreaterThanOrEqualTo(3);
            for (int i = 1; i < history.size(); i++) {
                assertThat(history.get(i).issuedAt())
                        .as(ticket + " v" + history.get(i).version() + " published before v"
                                + history.get(i - 1).version() + " expired")
                        .isBefore(history.get(i - 1).expiresAt().minus(Duration.ofMinutes(2)));
            }
            assertThat(Duration.between(
                            history.get(0).issuedAt(), history.get(0).expiresAt()))
                    .isEqualTo(Duration.ofSeconds(7200));
        }
        assertOneCallPerVersionAndNoLimitReached();
        assertSignedAndEncrypted();
        assertTheNewestTicketsWork();
        assertNoSecretTokenOrTicketInTheLogs();
    }

    /** Moves the clock to the earliest ticket refresh and waits for its new version. */
    private void refreshTheNextTicket() {
        Map<TokenKey, TokenRefreshed> latest = cluster.latest();
        TokenRefreshed next = List.of(latest.get(CORP_TICKET), latest.get(AGENT_TICKET)).stream()
                .min(Comparator.comparing(TokenRefreshed::nextRefreshAt))
                .orElseThrow();
        if (next.nextRefreshAt().isAfter(cluster.clock.instant())) {
            cluster.clock.set(next.nextRefreshAt().plusMillis(1));
        }
        awaitNudging(() -> cluster.latest().get(next.tokenKey()).version() > next.version());
    }

    /**
     * Waits, moving the virtual clock a second per poll: a ticket asked for before its app's token exists backs off
     * for a few virtual seconds.
     */
    private void awaitNudging(java.util.concurrent.Callable<Boolean> condition) {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (condition.call()) {
                        return true;
                    }
                    cluster.clock.advance(Duration.ofSeconds(1));
                    return false;
                });
    }

    private void assertOneCallPerVersionAndNoLimitReached() {
        assertThat(cluster.sandbox.calls(CORP, WeChatEndpoint.WECOM_GET_JSAPI_TICKET))
                .isEqualTo(history(CORP_TICKET).size());
        assertThat(cluster.sandbox.calls(SECOND_APP, WeChatEndpoint.WECOM_AGENT_TICKET))
                .isEqualTo(history(AGENT_TICKET).size());
        List<SandboxCall> ticketCalls = cluster.sandbox.callLog().stream()
                .filter(c -> c.endpoint() == WeChatEndpoint.WECOM_GET_JSAPI_TICKET
                        || c.endpoint() == WeChatEndpoint.WECOM_AGENT_TICKET)
                .toList();
        assertThat(ticketCalls).allSatisfy(c -> assertThat(c.errcode()).isZero());
        long busiestHour = ticketCalls.stream()
                .collect(java.util.stream.Collectors.groupingBy(
                        c -> c.at().getEpochSecond() / 3600, java.util.stream.Collectors.counting()))
                .values()
                .stream()
                .mapToLong(Long::longValue)
                .max()
                .orElse(0);
        assertThat(busiestHour).isLessThanOrEqualTo(100);
    }

    private void assertSignedAndEncrypted() {
        List<ConsumerRecord<String, byte[]>> records = cluster.topics.records(cluster.tokensTopic);
        assertThat(records).isNotEmpty();
        for (ConsumerRecord<String, byte[]> record : records) {
            assertThat(TestSigning.verifier()
                            .verify(record.value(), record.key())
                            .verdict())
                    .as(record.key())
                    .isEqualTo(Verdict.VERIFIED);
        }
        for (TokenRefreshed event : cluster.topics.tokens(cluster.tokensTopic)) {
            assertThat(event.token())
                    .as("plaintext on the topic for " + event.tokenKey())
                    .isNull();
            assertThat(RecordEncryption.kid(event)).contains("it-wecom");
            assertThat(Fingerprint.of(encryption.reveal(event))).isEqualTo(event.fingerprint());
        }
    }

    private void assertTheNewestTicketsWork() {
        Map<TokenKey, TokenRefreshed> latest = cluster.latest();
        for (TokenKey ticket : List.of(CORP_TICKET, AGENT_TICKET)) {
            assertThat(cluster.sandbox.checkTicket(encryption.reveal(latest.get(ticket))))
                    .as(ticket.asString())
                    .isZero();
        }
    }

    private void assertNoSecretTokenOrTicketInTheLogs() {
        List<String> secrets = new ArrayList<>(List.of(FIRST_SECRET, SECOND_SECRET));
        cluster.topics.tokens(cluster.tokensTopic).forEach(t -> secrets.add(encryption.reveal(t)));
        List<String> logs = cluster.logLines();
        for (String secret : secrets) {
            assertThat(logs).noneMatch(line -> line.contains(secret));
        }
    }

    private List<TokenRefreshed> history(TokenKey key) {
        return cluster.topics.tokens(cluster.tokensTopic).stream()
                .filter(t -> t.tokenKey().equals(key))
                .sorted(Comparator.comparingLong(TokenRefreshed::version))
                .toList();
    }
}
