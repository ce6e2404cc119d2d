package io.tokencast.refresher.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tokencast.refresher.store.StoredToken;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three replicas, twenty apps (half stable, half classic), virtual time: every app's token is fetched
 * exactly once per version, versions run 1, 2, 3… with no gap or repeat, and the fleet survives its leader
 * going away without any published token dying early.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterRefreshIT {

    private static final Duration OVERLAP = Duration.ofSeconds(300);

    private final HttpClient http = HttpClient.newHttpClient();
    private RefresherCluster cluster;

    @BeforeAll
    void startThreeReplicas() {
        cluster = new RefresherCluster(TestApp.many(0x1c1, 20));
        cluster.start("refresher-a");
        cluster.start("refresher-b");
        cluster.start("refresher-c");
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.closeAfterCheckingNoSecretsLeaked();
        }
    }

    @Test
    @Order(1)
    void fetchesEveryTokenOncePerVersionAcrossThreeReplicas() {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> cluster.stored().values().stream().allMatch(s -> s.version() == 1));
        assertOneFetchPerVersion();
        assertPublishedTokensWork();

        refreshEveryKeyOnce();
        refreshEveryKeyOnce();

        assertTopicHistory(3);
        assertThat(cluster.leaders()).hasSize(1);
        assertThat(cluster.leaderGauges()).isEqualTo(1.0);
    }

    @Test
    @Order(2)
    void anotherReplicaRefreshesWhenTheLeaderCloses() {
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.leader().isPresent());
        String leader = cluster.leader().orElseThrow();
        Map<TokenKey, Long> before = versions();
        cluster.stop(leader);

        refreshEveryKeyOnce();

        List<TokenRefreshed> tokens = cluster.topics.tokens(cluster.tokensTopic);
        for (TestApp app : cluster.apps) {
            List<TokenRefreshed> after = tokens.stream()
                    .filter(t -> t.tokenKey().equals(app.key()) && t.version() > before.get(app.key()))
                    .toList();
            assertThat(after).isNotEmpty().allSatisfy(t -> assertThat(t.refresher())
                    .isNotEqualTo(leader));
        }
        assertTopicHistory(4);
        assertThat(cluster.leader()).isPresent().get().isNotEqualTo(leader);
    }

    /**
     * Moves the clock to the earliest {@code nextRefreshAt} among keys not yet refreshed in this round and
     * waits for that key's next version, until every key has one; after each step every token still in its
     * life or overlap must work and every app must have been fetched once per version.
     */
    private void refreshEveryKeyOnce() {
        Map<TokenKey, Long> start = versions();
        while (true) {
            Map<TokenKey, StoredToken> stored = cluster.stored();
            StoredToken next = stored.values().stream()
                    .filter(s -> s.version() == start.get(s.key()))
                    .min(Comparator.comparing(s -> s.token().nextRefreshAt()))
                    .orElse(null);
            if (next == null) {
                break;
            }
            Instant due = next.token().nextRefreshAt();
            if (due.isAfter(cluster.clock.instant())) {
                cluster.clock.set(due.plusMillis(1));
            }
            await().atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> cluster.stored().get(next.key()).version() > start.get(next.key()));
            assertOneFetchPerVersion();
        }
        assertPublishedTokensWork();
    }

    private Map<TokenKey, Long> versions() {
        return cluster.stored().values().stream().collect(Collectors.toMap(StoredToken::key, StoredToken::version));
    }

    /** Every app fetched exactly as often as it has versions, and it stays so during a few more ticks. */
    private void assertOneFetchPerVersion() {
        await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(10)).until(() -> {
            Map<TokenKey, Long> versions = versions();
            return cluster.apps.stream()
                    .allMatch(app -> cluster.sandbox.calls(app.appid(), app.endpoint()) == versions.get(app.key()));
        });
    }

    /** Versions 1…n per key, each once, at least {@code minVersions} of them; every record schema-valid. */
    private void assertTopicHistory(long minVersions) {
        List<TokenRefreshed> tokens = cluster.topics.tokens(cluster.tokensTopic);
        Map<TokenKey, Long> stored = versions();
        for (TestApp app : cluster.apps) {
            long newest = stored.get(app.key());
            assertThat(newest).isGreaterThanOrEqualTo(minVersions);
            assertThat(Topics.versions(tokens, app.key()))
                    .as(app.key().asString())
                    .containsExactlyElementsOf(
                            LongStream.rangeClosed(1, newest).boxed().toList());
            assertThat(cluster.sandbox.calls(app.appid(), app.endpoint())).isEqualTo(newest);
        }
        for (ConsumerRecord<String, byte[]> record : cluster.topics.records(cluster.tokensTopic)) {
            assertThat(Schemas.errors(TokenRefreshed.class, record.value()))
                    .as(record.key())
                    .isEmpty();
        }
    }

    /**
     * Every published token is accepted by the sandbox's business endpoint while it is the newest, and until
     * its successor's overlap ends or it expires.
     */
    private void assertPublishedTokensWork() {
        Instant now = cluster.clock.instant();
        Map<TokenKey, List<TokenRefreshed>> byKey = cluster.topics.tokens(cluster.tokensTopic).stream()
                .collect(Collectors.groupingBy(TokenRefreshed::tokenKey));
        assertThat(byKey).hasSize(cluster.apps.size());
        byKey.forEach((key, history) -> {
            List<TokenRefreshed> sorted = history.stream()
                    .sorted(Comparator.comparingLong(TokenRefreshed::version))
                    .toList();
            for (int i = 0; i < sorted.size(); i++) {
                TokenRefreshed token = sorted.get(i);
                Instant until = i == sorted.size() - 1
                        ? token.expiresAt()
                        : min(sorted.get(i + 1).issuedAt().plus(OVERLAP), token.expiresAt());
                if (now.isBefore(until)) {
                    assertThat(businessCall(token.token()))
                            .as("getcallbackip with %s v%d at %s", key, token.version(), now)
                            .isZero();
                }
            }
        });
    }

    private int businessCall(String token) {
        URI uri = URI.create(cluster.sandbox.url() + "/cgi-bin/getcallbackip?access_token=" + token);
        try {
            String body = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
                    .body();
            int at = body.indexOf("\"errcode\":");
            if (at < 0) {
                return 0;
            }
            String rest = body.substring(at + "\"errcode\":".length()).trim();
            return Integer.parseInt(rest.replaceAll("^(-?\\d+).*$", "$1"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
