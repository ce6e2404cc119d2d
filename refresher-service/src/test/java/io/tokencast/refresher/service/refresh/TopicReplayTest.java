package io.tokencast.refresher.service.refresh;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tokencast.refresher.metrics.RefreshMetrics;
import io.tokencast.refresher.service.publish.ReplayRule.Cause;
import io.tokencast.refresher.service.publish.ReplayRule.Reading;
import io.tokencast.refresher.signing.RecordSigning;
import io.tokencast.schema.EventCodec;
import io.tokencast.schema.RefreshReason;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import io.tokencast.schema.TokenRefreshed;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How the tokens topic's replay reads a record: as the restore from the topic does. */
class TopicReplayTest {

    private static final TokenKey MINE = TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, "wxmine");
    private static final TokenKey OTHER = TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, "wxother");

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    // Signing off: no signature catches another key's record, the replay's own reading must.
    private final TopicReplay replay = new TopicReplay(
            key -> true,
            RecordSigning.off(meters),
            null,
            null,
            null,
            null,
            new RefreshMetrics(meters, Clock.systemUTC()),
            Clock.systemUTC(),
            "replay-test",
            "tokens",
            null);

    @Test
    void anotherKeysRecordIsNoVersionOfThisKey() {
        Instant now = Instant.parse("2026-03-01T08:00:00Z");
        byte[] others = EventCodec.json()
                .encode(TokenRefreshed.of(
                        OTHER,
                        7,
                        "token-of-other",
                        now,
                        now.plusSeconds(7200),
                        now.plusSeconds(5400),
                        RefreshReason.SCHEDULED,
                        "refresher-a",
                        null));

        assertThat(replay.read(MINE.asString(), others)).isEqualTo(Reading.needs(Cause.UNREADABLE));
        assertThat(replay.read(OTHER.asString(), others)).isEqualTo(Reading.version(7));
    }
}
