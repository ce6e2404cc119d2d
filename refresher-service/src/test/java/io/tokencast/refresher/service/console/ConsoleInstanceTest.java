package io.tokencast.refresher.service.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokencast.refresher.service.fleet.FleetInstance;
import io.tokencast.schema.ConsumerHeartbeat;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The console's fleet table shows each instance's library version and whether it verifies signatures. */
class ConsoleInstanceTest {

    private static final Instant AT = Instant.parse("2026-03-02T01:00:00Z");

    @Test
    void showsTheLibraryVersionAndTheKidsAVerifyingInstanceTrusts() {
        ConsumerHeartbeat heartbeat = heartbeat(
                "orders-1", "0.2.0", new ConsumerHeartbeat.Signatures(true, List.of("refresher-2026-03"), "BC"));

        ConsoleView.Instance shown = ConsoleState.instance(new FleetInstance(heartbeat, AT, true));

        assertThat(shown.libraryVersion()).isEqualTo("0.2.0");
        assertThat(shown.signatures()).isEqualTo(new ConsoleView.Signatures(true, List.of("refresher-2026-03")));
    }

    @Test
    void saysSoWhenAnInstanceTurnedVerificationOff() {
        ConsumerHeartbeat heartbeat =
                heartbeat("orders-2", "0.2.0", new ConsumerHeartbeat.Signatures(false, List.of(), null));

        ConsoleView.Instance shown = ConsoleState.instance(new FleetInstance(heartbeat, AT, true));

        assertThat(shown.signatures()).isEqualTo(new ConsoleView.Signatures(false, List.of()));
    }

    @Test
    void anInstanceOlderThanSigningReportsNoSignatures() {
        ConsumerHeartbeat heartbeat = heartbeat("billing-7", "0.0.9", null);

        ConsoleView.Instance shown = ConsoleState.instance(new FleetInstance(heartbeat, AT, true));

        assertThat(shown.libraryVersion()).isEqualTo("0.0.9");
        assertThat(shown.signatures()).isNull();
    }

    private static ConsumerHeartbeat heartbeat(
            String instanceId, String libraryVersion, ConsumerHeartbeat.Signatures signatures) {
        return new ConsumerHeartbeat(
                instanceId, "svc", "host", libraryVersion, AT, AT, null, null, null, null, signatures);
    }
}
