package io.tokencast.refresher.service.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokencast.schema.ConsumerHeartbeat;
import io.tokencast.schema.EventCodec;
import io.tokencast.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** A kid may be written for a key once no live consumer covering the key lacks it (docs/security.md §5.3). */
class FleetKeyGateTest {

    private static final Instant START = Instant.parse("2026-03-02T01:00:00Z");
    private static final String ORDERS_KEY = "wechat-access-token/wxorders00000001";
    private static final String BILLING_KEY = "wechat-access-token/wxbilling0000001";

    private final MutableClock clock = new MutableClock(START);
    private final FleetView fleet =
            new FleetView(clock, new FleetSettings(true, Duration.ofSeconds(90), Duration.ofMinutes(10), 100, 100));
    private final AtomicBoolean caughtUp = new AtomicBoolean(true);
    private final FleetKeyGate gate = new FleetKeyGate(fleet, caughtUp::get);
    private long offset;

    @Test
    void shutWhileALiveConsumerCoveringTheKeyLacksTheKid() {
        beat("orders-1", List.of("wechat-access-token/wxorders*"), List.of("k1"));
        beat("orders-2", List.of("wechat-access-token/wxorders*"), List.of("k1", "k2"));
        // covers other keys only: never in the way of the orders key
        beat("billing-1", List.of("wechat-access-token/wxbilling*"), List.of("k1"));

        assertThat(gate.unableToRead(ORDERS_KEY, "k2")).containsExactly("orders-1");
        assertThat(gate.unableToRead(ORDERS_KEY, "k1")).isEmpty();
        assertThat(gate.unableToRead(BILLING_KEY, "k2")).containsExactly("billing-1");

        beat("orders-1", List.of("wechat-access-token/wxorders*"), List.of("k1", "k2"));
        assertThat(gate.unableToRead(ORDERS_KEY, "k2")).isEmpty();
    }

    @Test
    void aConsumerWithoutAKeyringBlocksTurningEncryptionOn() {
        beat("legacy-1", List.of("*"), List.of());

        assertThat(gate.unableToRead(ORDERS_KEY, "k1")).containsExactly("legacy-1");
    }

    @Test
    void silentInstancesDoNotBlock() {
        beat("orders-1", List.of("*"), List.of());
        clock.advance(Duration.ofSeconds(91));

        assertThat(gate.unableToRead(ORDERS_KEY, "k1")).isEmpty();
    }

    @Test
    void shutUntilTheConsumersTopicHasBeenRead() {
        caughtUp.set(false);

        assertThat(gate.unableToRead(ORDERS_KEY, "k1"))
                .containsExactly("the fleet view has not read the consumers topic to its end yet");
    }

    @Test
    void namesABoundedNumberOfInstances() {
        for (int i = 0; i < FleetKeyGate.MAX_NAMED + 5; i++) {
            beat(String.format("orders-%02d", i), List.of("*"), List.of());
        }

        List<String> unable = gate.unableToRead(ORDERS_KEY, "k1");

        assertThat(unable).hasSize(FleetKeyGate.MAX_NAMED + 1).last().isEqualTo("and 5 more");
    }

    private void beat(String instanceId, List<String> scopes, List<String> kids) {
        byte[] value = EventCodec.json()
                .encode(new ConsumerHeartbeat(
                        instanceId, "svc", "host", "0.1.0", START, clock.instant(), null, scopes, kids, List.of()));
        fleet.apply(new ConsumerRecord<>("t.consumers", 0, offset++, instanceId, value));
    }
}
