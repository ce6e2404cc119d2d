package io.tokencast.refresher.refresh;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tokencast.refresher.policy.StandardRefreshPolicy;
import io.tokencast.refresher.wechat.FetchedToken;
import io.tokencast.refresher.wechat.ManagedCredential;
import io.tokencast.refresher.wechat.WeChatApi;
import io.tokencast.schema.RefreshReason;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * One write, one fingerprint, one encoding: the fingerprint hashed when WeChat's answer was read is the very
 * string the version, the audit record and the outcome carry (hashing again would make another string), and
 * Redis and the topic get the very same bytes (encoding again would make another array).
 */
class WritePathTest {

    private static final TokenKey KEY = TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, "wxonce");

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T01:00:00Z"));
    private final InMemoryTokenStore store = new InMemoryTokenStore();
    private final RecordingPublisher publisher = new RecordingPublisher();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AtomicReference<FetchedToken> fetched = new AtomicReference<>();

    @Test
    void theFetchedTokensFingerprintAndTheVersionsBytesArePassedAlongNotMadeAgain() {
        RefreshOutcome outcome = refresher().refresh(KEY, RefreshReason.STARTUP, null);

        assertThat(outcome.result()).isEqualTo(RefreshOutcome.Result.REFRESHED);
        String fingerprint = fetched.get().fingerprint();
        TokenRefreshed published = publisher.signedTokens.get(0).event();
        assertThat(published.fingerprint()).isSameAs(fingerprint);
        assertThat(publisher.lastAudit().fingerprint()).isSameAs(fingerprint);
        assertThat(outcome.fingerprint()).isSameAs(fingerprint);
        assertThat(publisher.signedTokens.get(0).json()).isSameAs(store.lastWrittenBytes);
    }

    private Refresher refresher() {
        return Refresher.builder()
                .credentials(List.of(new ManagedCredential(KEY, WeChatApi.STABLE, "secret")))
                .store(store)
                .locks(TestDoubles.uncontendedLocks())
                .source((credential, mode) -> {
                    // A string of its own, as an HTTP answer's would be.
                    FetchedToken token =
                            new FetchedToken(new String("token-of-wxonce"), Duration.ofHours(2), clock.instant());
                    fetched.set(token);
                    return token;
                })
                .quota(TestDoubles.openQuota(1))
                .policy(new StandardRefreshPolicy(Duration.ofSeconds(2), Duration.ofMinutes(5), Duration.ofHours(1)))
                .publisher(publisher)
                .signing(TestRecordSigning.recordSigning(meters))
                .meterRegistry(meters)
                .clock(clock)
                .instanceId("write-path-test")
                .build();
    }
}
