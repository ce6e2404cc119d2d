package io.tokencast.refresher.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tokencast.schema.AttemptOutcome;
import io.tokencast.schema.EventCodec;
import io.tokencast.schema.RefreshAttempted;
import io.tokencast.schema.RefreshReason;
import io.tokencast.schema.RefreshRequested;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.testkit.LocalInfrastructure;
import io.tokencast.testkit.wechat.WeChatEndpoint;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Verified reports (issue 14, point 4): before an invalid-token report costs a fetch, the refresher asks
 * WeChat's getcallbackip whether the token is really dead, at most once per key, fingerprint and 30 s. A client
 * that reports the live token over and over costs probes, never fetches; a token WeChat confirms dead is
 * refreshed at once.
 */
class ReportProbeIT {

    private final TestApp app = TestApp.of(0x14e, 0, "classic");
    private final RefresherCluster cluster = new RefresherCluster(List.of(app));
    private final KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
            Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    LocalInfrastructure.shared().kafkaBootstrapServers(),
                    ProducerConfig.ACKS_CONFIG,
                    "all"),
            new ByteArraySerializer(),
            new ByteArraySerializer());

    @AfterEach
    void stop() {
        producer.close();
        cluster.closeAfterCheckingNoSecretsLeaked();
    }

    @Test
    void reportsOfALiveTokenAreRejectedAfterOneProbeAndADeadOneIsRefreshed() throws Exception {
        // given a refresher holding v1
        cluster.start("only");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> cluster.stored().get(app.key()).version() == 1);
        TokenRefreshed live = cluster.stored().get(app.key()).token();
        long fetches = fetches();

        // when a buggy client reports the live token twenty times
        List<RefreshRequested> reports =
                IntStream.range(0, 20).mapToObj(i -> report(live)).toList();
        for (RefreshRequested report : reports) {
            send(report);
        }

        // then every report is REJECTED as TOKEN_STILL_VALID after a single probe, and nothing was fetched
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(reports)
                .allSatisfy(r -> assertThat(outcome(r)).hasValueSatisfying(a -> {
                    assertThat(a.outcome()).isEqualTo(AttemptOutcome.REJECTED);
                    assertThat(a.errorCode()).isEqualTo("TOKEN_STILL_VALID");
                })));
        assertThat(probes()).isEqualTo(1);
        assertThat(fetches()).isEqualTo(fetches);

        // and 31 s later the next report is probed again, once
        cluster.clock.advance(Duration.ofSeconds(31));
        RefreshRequested later = report(live);
        send(later);
        await().atMost(Duration.ofSeconds(30)).until(() -> outcome(later).isPresent());
        assertThat(outcome(later).orElseThrow().errorCode()).isEqualTo("TOKEN_STILL_VALID");
        assertThat(probes()).isEqualTo(2);

        // when WeChat invalidates the token and 30 s have passed, a report of it is confirmed dead and refreshed
        cluster.sandbox.invalidateTokens(app.appid());
        cluster.clock.advance(Duration.ofSeconds(31));
        RefreshRequested genuine = report(live);
        send(genuine);
        await().atMost(Duration.ofSeconds(30)).until(() -> outcome(genuine).isPresent());
        assertThat(outcome(genuine).orElseThrow().outcome()).isEqualTo(AttemptOutcome.REFRESHED);
        assertThat(probes()).isEqualTo(3);
        assertThat(fetches()).isEqualTo(fetches + 1);
        assertThat(cluster.stored().get(app.key()).version()).isEqualTo(2);
    }

    private RefreshRequested report(TokenRefreshed token) {
        return new RefreshRequested(
                UUID.randomUUID(),
                token.tokenKey(),
                token.fingerprint(),
                false,
                RefreshReason.INVALID_REPORTED,
                "buggy-service",
                cluster.clock.instant());
    }

    private void send(RefreshRequested command) throws Exception {
        producer.send(new ProducerRecord<>(
                        cluster.tokensTopic + "-reports",
                        command.tokenKey().asString().getBytes(StandardCharsets.UTF_8),
                        EventCodec.json().encode(command)))
                .get();
    }

    private Optional<RefreshAttempted> outcome(RefreshRequested command) {
        return cluster.topics.audit(cluster.auditTopic).stream()
                .filter(a -> command.commandId().equals(a.commandId()))
                .findFirst();
    }

    private long probes() {
        return cluster.sandbox.calls(app.appid(), WeChatEndpoint.GET_CALLBACK_IP);
    }

    private long fetches() {
        return cluster.sandbox.calls(app.appid(), app.endpoint());
    }
}
