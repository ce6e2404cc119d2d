package io.tokencast.refresher.service.openplatform;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tokencast.refresher.metrics.RefreshMetrics;
import io.tokencast.refresher.service.publish.ReplayRule.Cause;
import io.tokencast.refresher.service.publish.ReplayRule.Reading;
import io.tokencast.refresher.signing.RecordSigning;
import io.tokencast.schema.CredentialKind;
import io.tokencast.schema.CredentialSource;
import io.tokencast.schema.CredentialStored;
import io.tokencast.schema.EventCodec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How the credentials topic's replay reads a record: as the restore from the topic does. */
class CredentialReplayTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @Test
    void anotherKeysRecordIsNoVersionOfThisKey() {
        Instant now = Instant.parse("2026-03-01T08:00:00Z");
        CredentialStored others = CredentialStored.of(
                        CredentialKind.COMPONENT_VERIFY_TICKET,
                        "wxcomponent02",
                        "ticket@@@other",
                        now,
                        now.plus(Duration.ofHours(12)),
                        CredentialSource.CALLBACK,
                        "replica-a")
                .withVersion(4);
        byte[] json = EventCodec.json().encode(others);
        // Signing off: no signature catches another key's record, the replay's own reading must.
        try (CredentialReplay replay = new CredentialReplay(
                null,
                null,
                RecordSigning.off(meters),
                null,
                new RefreshMetrics(meters, Clock.systemUTC()),
                "credentials",
                null)) {

            assertThat(replay.read("component-ticket/wxcomponent01", json)).isEqualTo(Reading.needs(Cause.UNREADABLE));
            assertThat(replay.read(others.credentialKey(), json)).isEqualTo(Reading.version(4));
        }
    }
}
