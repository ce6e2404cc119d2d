package io.tokencast.refresher.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tokencast.schema.AttemptOutcome;
import io.tokencast.schema.EventCodec;
import io.tokencast.schema.Fingerprint;
import io.tokencast.schema.RefreshAttempted;
import io.tokencast.schema.RefreshReason;
import io.tokencast.schema.RefreshRequested;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.testkit.LocalInfrastructure;
import io.tokencast.trust.signing.RecordSigner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Operator commands and service reports apart (docs/security.md §6), on a real broker and Redis with the WeChat
 * sandbox: a command signed with an operator key is served and credited to the key's name with the user it was
 * sent for; an unsigned or badly signed one (a forced refresh, an old consumer's report), one signed in another's
 * name, or one outside the freshness window is refused without a fetch and credited to nobody; a report on the
 * reports topic must name a fingerprint and never force; and neither a forged copy nor a report can shadow a
 * genuine command's id.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SignedCommandsIT {

    private final TestApp credited = TestApp.of(0x51c, 0, "classic");
    private final TestApp stale = TestApp.of(0x51c, 1, "classic");
    private final TestApp impersonated = TestApp.of(0x51c, 2, "classic");
    private final TestApp reported = TestApp.of(0x51c, 3, "stable");
    private final TestApp shadowed = TestApp.of(0x51c, 4, "classic");
    private final TestApp forged = TestApp.of(0x51c, 5, "stable");
    private final TestApp copied = TestApp.of(0x51c, 6, "classic");

    private RefresherCluster cluster;
    private KafkaProducer<byte[], byte[]> producer;

    @BeforeAll
    void start() {
        cluster = new RefresherCluster(List.of(credited, stale, impersonated, reported, shadowed, forged, copied));
        producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        LocalInfrastructure.shared().kafkaBootstrapServers(),
                        ProducerConfig.ACKS_CONFIG,
                        "all"),
                new ByteArraySerializer(),
                new ByteArraySerializer());
        cluster.start("signed");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> cluster.stored().values().stream().allMatch(s -> s.version() >= 1));
    }

    @AfterAll
    void stop() {
        if (producer != null) {
            producer.close();
        }
        if (cluster != null) {
            cluster.closeAfterCheckingNoSecretsLeaked();
        }
    }

    @Test
    void aSignedCommandIsServedAndCreditedToTheKeysNameWithTheUserItActsFor() throws Exception {
        long fetches = fetches(credited);
        RefreshRequested command = cluster.operator.manual(credited.key(), false, cluster.clock.instant());

        sendCommand(command.tokenKey().asString(), cluster.operator.sign(command, "anna@example.com"));

        RefreshAttempted outcome = awaitOutcome(command.commandId());
        assertThat(outcome.outcome()).isEqualTo(AttemptOutcome.REFRESHED);
        assertThat(outcome.requestedBy()).isEqualTo("ops-test");
        assertThat(outcome.onBehalfOf()).isEqualTo("anna@example.com");
        assertThat(outcome.reason()).isEqualTo(RefreshReason.MANUAL);
        assertThat(fetches(credited)).isEqualTo(fetches + 1);
        assertThat(cluster.stored().get(credited.key()).token().causationId()).isEqualTo(command.commandId());
    }

    @Test
    void unsignedAndBadlySignedCommandsAreRejectedAsUnauthenticatedAndCostNoFetch() throws Exception {
        TokenRefreshed current = cluster.stored().get(forged.key()).token();
        long fetches = fetches(forged);
        RefreshRequested unsignedForce =
                RefreshRequested.manual(forged.key(), true, "the-cto", cluster.clock.instant());
        Operator eve = Operator.named("eve");
        RefreshRequested byStranger = eve.manual(forged.key(), true, cluster.clock.instant());
        // what a consumer of before the reports topic sends: a report, unsigned, on the admin topic
        RefreshRequested oldReport = RefreshRequested.invalidReported(
                forged.key(), current.fingerprint(), "orders-service@host-1", cluster.clock.instant());

        sendCommand(forged.key().asString(), EventCodec.json().encode(unsignedForce));
        sendCommand(forged.key().asString(), eve.sign(byStranger));
        sendCommand(forged.key().asString(), EventCodec.json().encode(oldReport));

        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> refused(forged).size() == 3);
        assertThat(refused(forged)).allSatisfy(a -> {
            assertThat(a.outcome()).isEqualTo(AttemptOutcome.REJECTED);
            assertThat(a.requestedBy()).isEqualTo("unauthenticated");
            assertThat(a.commandId())
                    .as("an unverified record answers for no command id")
                    .isNull();
            assertThat(a.onBehalfOf()).isNull();
        });
        assertThat(refused(forged))
                .extracting(RefreshAttempted::errorMessage)
                .satisfiesExactly(
                        unsigned -> assertThat(unsigned)
                                .startsWith("UNSIGNED")
                                .contains("requestedBy=\"the-cto\"", "force=\"true\"")
                                .contains(unsignedForce.commandId().toString()),
                        stranger ->
                                assertThat(stranger).startsWith("UNKNOWN_KID").contains("requestedBy=\"eve\""),
                        report -> assertThat(report)
                                .contains("requestedBy=\"orders-service@host-1\"", "INVALID_REPORTED"));
        assertThat(fetches(forged)).as("no WeChat fetch, forced or not").isEqualTo(fetches);
        assertThat(cluster.stored().get(forged.key()).version()).isEqualTo(current.version());
        assertThat(cluster.topics.records(cluster.tokensTopic + "-admin.dlt"))
                .filteredOn(r -> forged.key().asString().equals(r.key()))
                .hasSize(3);
    }

    @Test
    void aForgedCopyCarryingAGenuineCommandsIdDoesNotShadowIt() throws Exception {
        long fetches = fetches(copied);
        RefreshRequested genuine = cluster.operator.manual(copied.key(), false, cluster.clock.instant());

        // the unsigned copy arrives first, then the genuine command
        sendCommand(copied.key().asString(), EventCodec.json().encode(genuine));
        sendCommand(copied.key().asString(), cluster.operator.sign(genuine));

        RefreshAttempted served = awaitOutcome(genuine.commandId());
        assertThat(served.outcome()).isEqualTo(AttemptOutcome.REFRESHED);
        assertThat(served.requestedBy()).isEqualTo("ops-test");
        assertThat(refused(copied)).singleElement().satisfies(a -> assertThat(a.errorMessage())
                .contains(genuine.commandId().toString()));
        assertThat(audited(genuine.commandId())).hasSize(1);
        assertThat(fetches(copied)).isEqualTo(fetches + 1);
    }

    /** The audit's UNAUTHENTICATED refusals under the app's key, in topic order. */
    private List<RefreshAttempted> refused(TestApp app) {
        return audit().stream()
                .filter(a -> a.tokenKey().equals(app.key().asString()))
                .filter(a -> "UNAUTHENTICATED".equals(a.errorCode()))
                .toList();
    }

    @Test
    void aSignedCommandOutsideTheFreshnessWindowIsRejectedAsStaleWithoutAFetch() throws Exception {
        long fetches = fetches(stale);
        RefreshRequested old = cluster.operator.manual(
                stale.key(), false, cluster.clock.instant().minus(Duration.ofMinutes(11)));
        RefreshRequested ahead = cluster.operator.manual(
                stale.key(), false, cluster.clock.instant().plus(Duration.ofMinutes(11)));

        sendCommand(stale.key().asString(), cluster.operator.sign(old));
        sendCommand(stale.key().asString(), cluster.operator.sign(ahead));

        for (RefreshRequested command : List.of(old, ahead)) {
            RefreshAttempted outcome = awaitOutcome(command.commandId());
            assertThat(outcome.outcome()).isEqualTo(AttemptOutcome.REJECTED);
            assertThat(outcome.errorCode()).isEqualTo("STALE_COMMAND");
            assertThat(outcome.requestedBy()).isEqualTo("ops-test");
        }
        assertThat(fetches(stale)).isEqualTo(fetches);
    }

    @Test
    void aCommandSignedInAnotherOperatorsNameIsRejectedAsUnauthenticated() throws Exception {
        long fetches = fetches(impersonated);
        RefreshRequested claimed =
                RefreshRequested.manual(impersonated.key(), true, "the-cto", cluster.clock.instant());
        // signed with a genuine operator key, but naming someone else as requestedBy
        byte[] signed =
                new RecordSigner(cluster.operator.key()).sign(EventCodec.json().encode(claimed));

        sendCommand(impersonated.key().asString(), signed);

        RefreshAttempted outcome = awaitAudit(a ->
                        a.tokenKey().equals(impersonated.key().asString()) && "UNAUTHENTICATED".equals(a.errorCode()))
                .orElseThrow();
        assertThat(outcome.outcome()).isEqualTo(AttemptOutcome.REJECTED);
        assertThat(outcome.requestedBy()).isEqualTo("unauthenticated");
        assertThat(outcome.commandId())
                .as("an unverified claim answers for no command id")
                .isNull();
        assertThat(outcome.errorMessage()).contains("ops-test", "the-cto");
        assertThat(fetches(impersonated)).isEqualTo(fetches);
    }

    @Test
    void reportsMustNameAFingerprintAndNeverForceAndTheirRequestedByIsOnlyAHint() throws Exception {
        TokenRefreshed current = cluster.stored().get(reported.key()).token();
        long fetches = fetches(reported);
        RefreshRequested forced = new RefreshRequested(
                UUID.randomUUID(),
                reported.key(),
                current.fingerprint(),
                true,
                RefreshReason.INVALID_REPORTED,
                "ops-test",
                cluster.clock.instant());
        RefreshRequested blind = new RefreshRequested(
                UUID.randomUUID(),
                reported.key(),
                null,
                false,
                RefreshReason.INVALID_REPORTED,
                "orders-7",
                cluster.clock.instant());
        RefreshRequested manual = new RefreshRequested(
                UUID.randomUUID(),
                reported.key(),
                current.fingerprint(),
                false,
                RefreshReason.MANUAL,
                "orders-7",
                cluster.clock.instant());

        for (RefreshRequested report : List.of(forced, blind, manual)) {
            sendReport(report);
        }

        assertThat(awaitOutcome(forced.commandId())).satisfies(a -> {
            assertThat(a.outcome()).isEqualTo(AttemptOutcome.REJECTED);
            assertThat(a.errorCode()).isEqualTo("FORCE_REFUSED");
            assertThat(a.requestedBy())
                    .as("a report's requestedBy is marked as a hint")
                    .isEqualTo("report:ops-test");
        });
        assertThat(awaitOutcome(blind.commandId()).errorCode()).isEqualTo("FINGERPRINT_REQUIRED");
        assertThat(awaitOutcome(manual.commandId()).errorCode()).isEqualTo("NOT_A_REPORT");
        assertThat(fetches(reported)).isEqualTo(fetches);
        assertThat(cluster.stored().get(reported.key()).version()).isEqualTo(current.version());
    }

    @Test
    void aReportCarryingAnOperatorCommandsIdDoesNotShadowIt() throws Exception {
        long fetches = fetches(shadowed);
        RefreshRequested command = cluster.operator.manual(shadowed.key(), false, cluster.clock.instant());
        // anyone may write reports: one arrives first with the command's id, for a token long gone
        RefreshRequested report = new RefreshRequested(
                command.commandId(),
                shadowed.key(),
                Fingerprint.of("long-gone"),
                false,
                RefreshReason.INVALID_REPORTED,
                "mallory",
                cluster.clock.instant());
        sendReport(report);
        awaitAudit(a -> command.commandId().equals(a.commandId()));

        sendCommand(shadowed.key().asString(), cluster.operator.sign(command));

        await().atMost(Duration.ofSeconds(30))
                .until(() -> audited(command.commandId()).size() == 2);
        assertThat(audited(command.commandId()))
                .satisfiesExactly(first -> assertThat(first.requestedBy()).isEqualTo("report:mallory"), second -> {
                    assertThat(second.requestedBy()).isEqualTo("ops-test");
                    assertThat(second.outcome()).isEqualTo(AttemptOutcome.REFRESHED);
                });
        assertThat(fetches(shadowed)).isEqualTo(fetches + 1);
    }

    private void sendCommand(String recordKey, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(
                        cluster.tokensTopic + "-admin", recordKey.getBytes(StandardCharsets.UTF_8), value))
                .get();
    }

    private void sendReport(RefreshRequested report) throws Exception {
        producer.send(new ProducerRecord<>(
                        cluster.tokensTopic + "-reports",
                        report.tokenKey().asString().getBytes(StandardCharsets.UTF_8),
                        EventCodec.json().encode(report)))
                .get();
    }

    private RefreshAttempted awaitOutcome(UUID commandId) {
        return awaitAudit(a -> commandId.equals(a.commandId())).orElseThrow();
    }

    private Optional<RefreshAttempted> awaitAudit(Predicate<RefreshAttempted> wanted) {
        return await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> audit().stream().filter(wanted).findFirst(), Optional::isPresent);
    }

    private List<RefreshAttempted> audited(UUID commandId) {
        return audit().stream().filter(a -> commandId.equals(a.commandId())).toList();
    }

    private List<RefreshAttempted> audit() {
        return cluster.topics.audit(cluster.auditTopic);
    }

    private long fetches(TestApp app) {
        return cluster.sandbox.calls(app.appid(), app.endpoint());
    }
}
