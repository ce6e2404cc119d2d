package io.tokencast.refresher.service.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokencast.schema.ConsumerHeartbeat;
import io.tokencast.schema.EventCodec;
import io.tokencast.schema.Fingerprint;
import io.tokencast.schema.RefreshReason;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The fleet view judges every heartbeat alone, stays bounded, and names who lags and since when. */
class FleetViewTest {

    private static final Instant START = Instant.parse("2026-03-02T01:00:00Z");
    private static final TokenKey KEY = TokenKey.parse("wechat-access-token/wx00000000000000f1");

    private final MutableClock clock = new MutableClock(START);
    private final FleetView fleet =
            new FleetView(clock, new FleetSettings(true, Duration.ofSeconds(90), Duration.ofMinutes(10), 3, 100));
    private long offset;

    @Test
    void countsInstancesOnTheNewestVersionAndNamesTheLaggardWithHowLongItLags() {
        fleet.observe(token(1, START));
        fleet.observe(token(2, START.plusSeconds(100)));
        fleet.observe(token(3, START.plusSeconds(200)));
        clock.set(START.plusSeconds(260));
        apply("orders-1", heartbeat("orders-1", 3));
        apply("orders-2", heartbeat("orders-2", 3));
        apply("billing-1", heartbeat("billing-1", 1));

        KeyFleet answer = fleet.forKey(KEY, 3);

        assertThat(answer.current()).isEqualTo(2);
        assertThat(answer.behind()).singleElement().satisfies(laggard -> {
            assertThat(laggard.instanceId()).isEqualTo("billing-1");
            assertThat(laggard.heldVersion()).isEqualTo(1);
            assertThat(laggard.behindSince()).isEqualTo(START.plusSeconds(100));
            assertThat(laggard.behindFor()).isEqualTo(Duration.ofSeconds(160));
        });
    }

    @Test
    void silentInstancesAreNotCountedAndAreForgottenLater() {
        apply("orders-1", heartbeat("orders-1", 1));
        clock.advance(Duration.ofSeconds(91));

        assertThat(fleet.forKey(KEY, 2).behind()).isEmpty();
        assertThat(fleet.instances()).singleElement().satisfies(i -> assertThat(i.live())
                .isFalse());

        clock.advance(Duration.ofMinutes(10));
        apply("orders-2", heartbeat("orders-2", 2));
        assertThat(fleet.instances())
                .extracting(i -> i.heartbeat().instanceId())
                .containsExactly("orders-2");
    }

    @Test
    void aTombstoneHidesAnInstanceOnlyUntilItsNextHeartbeat() {
        apply("orders-1", heartbeat("orders-1", 1));
        apply("orders-1", null);
        assertThat(fleet.instances()).isEmpty();

        apply("orders-1", heartbeat("orders-1", 1));
        assertThat(fleet.instances()).hasSize(1);
    }

    @Test
    void rejectsGarbageAndAHeartbeatUnderAnotherInstancesKeyAndKeepsGoing() {
        apply("orders-1", "not json".getBytes(StandardCharsets.UTF_8));
        apply("orders-1", heartbeat("someone-else", 1));
        apply(null, heartbeat("orders-1", 1));
        apply("orders-1", heartbeat("orders-1", 1));

        assertThat(fleet.rejected())
                .containsEntry("MALFORMED_JSON", 1L)
                .containsEntry("KEY_MISMATCH", 1L)
                .containsEntry("BAD_KEY", 1L);
        assertThat(fleet.instances())
                .extracting(i -> i.heartbeat().instanceId())
                .containsExactly("orders-1");
    }

    @Test
    void staysBoundedAndLetsFresherInstancesDisplaceTheStalest() {
        apply("a", heartbeat("a", 1));
        clock.advance(Duration.ofSeconds(1));
        apply("b", heartbeat("b", 1));
        apply("c", heartbeat("c", 1));
        clock.advance(Duration.ofSeconds(1));

        apply("d", heartbeat("d", 1));

        assertThat(fleet.size()).isEqualTo(3);
        assertThat(fleet.instances())
                .extracting(i -> i.heartbeat().instanceId())
                .containsExactly("b", "c", "d");
    }

    @Test
    void aClockRunningAheadDoesNotKeepAnInstanceLive() {
        byte[] future = EventCodec.json()
                .encode(new ConsumerHeartbeat(
                        "ahead",
                        "s",
                        "h",
                        "0.1.0",
                        START,
                        START.plus(Duration.ofDays(1)),
                        null,
                        null,
                        null,
                        List.of(new ConsumerHeartbeat.HeldVersion(KEY, 1, Fingerprint.of("t1")))));
        apply("ahead", future);
        clock.advance(Duration.ofSeconds(91));

        assertThat(fleet.instances()).singleElement().satisfies(i -> assertThat(i.live())
                .isFalse());
    }

    private byte[] heartbeat(String instanceId, long version) {
        return EventCodec.json()
                .encode(new ConsumerHeartbeat(
                        instanceId,
                        "svc",
                        "host",
                        "0.1.0",
                        START,
                        clock.instant(),
                        null,
                        null,
                        null,
                        List.of(new ConsumerHeartbeat.HeldVersion(KEY, version, Fingerprint.of("t" + version)))));
    }

    private void apply(String key, byte[] value) {
        fleet.apply(new ConsumerRecord<>("t.consumers", 0, offset++, key, value));
    }

    private static TokenRefreshed token(long version, Instant issuedAt) {
        return TokenRefreshed.of(
                KEY,
                version,
                "t" + version,
                issuedAt,
                issuedAt.plusSeconds(7200),
                issuedAt.plusSeconds(5400),
                RefreshReason.SCHEDULED,
                "r1",
                null);
    }
}
