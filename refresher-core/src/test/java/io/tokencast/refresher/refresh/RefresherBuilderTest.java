package io.tokencast.refresher.refresh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tokencast.refresher.policy.StandardRefreshPolicy;
import io.tokencast.refresher.wechat.FetchedToken;
import io.tokencast.refresher.wechat.ManagedCredential;
import io.tokencast.refresher.wechat.WeChatApi;
import io.tokencast.schema.RefreshReason;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import io.tokencast.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RefresherBuilderTest {

    private static final TokenKey KEY = TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, "wxbuilt");

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T01:00:00Z"));
    private final InMemoryTokenStore store = new InMemoryTokenStore();
    private final RecordingPublisher publisher = new RecordingPublisher();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @Test
    void buildsAWorkingRefresherFromItsPortsAlone() {
        Refresher refresher = ports().build();

        RefreshOutcome outcome = refresher.refresh(KEY, RefreshReason.STARTUP, null);

        assertThat(outcome.result()).isEqualTo(RefreshOutcome.Result.REFRESHED);
        assertThat(store.read(KEY).version()).isEqualTo(1);
        assertThat(publisher.tokens).singleElement().satisfies(e -> assertThat(e.refresher())
                .isEqualTo("builder-test"));
        assertThat(publisher.audit).singleElement();
        assertThat(meters.find("tokencast.refresh").counters()).isNotEmpty();
    }

    @Test
    void namesThePortThatIsMissing() {
        assertThatThrownBy(() ->
                        Refresher.builder().credentials(List.of()).store(store).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("locks");
    }

    private RefresherBuilder ports() {
        return Refresher.builder()
                .credentials(List.of(new ManagedCredential(KEY, WeChatApi.STABLE, "secret")))
                .store(store)
                .locks(TestDoubles.uncontendedLocks())
                .source((credential, mode) -> new FetchedToken(
                        "token-of-" + credential.key().account(), Duration.ofHours(2), clock.instant()))
                .quota(TestDoubles.openQuota(1))
                .policy(new StandardRefreshPolicy(Duration.ofSeconds(2), Duration.ofMinutes(5), Duration.ofHours(1)))
                .publisher(publisher)
                .signing(TestRecordSigning.recordSigning(meters))
                .meterRegistry(meters)
                .clock(clock)
                .instanceId("builder-test");
    }
}
