package io.tokencast.refresher.refresh;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokencast.refresher.wechat.FetchedToken;
import io.tokencast.refresher.wechat.ManagedCredential;
import io.tokencast.refresher.wechat.WeChatApi;
import io.tokencast.schema.RefreshReason;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import io.tokencast.schema.TokenRefreshed;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * One write, one fingerprint, one encoding: the fingerprint hashed when WeChat's answer was read is the very
 * string the version, the audit record and the outcome carry (hashing again would make another string), and
 * Redis and the topic get the very same bytes (encoding again would make another array).
 */
class WritePathTest {

    private static final TokenKey KEY = TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, "wxonce");

    private final RefresherFixture fixture = new RefresherFixture();
    private final AtomicReference<FetchedToken> fetched = new AtomicReference<>();

    @Test
    void theFetchedTokensFingerprintAndTheVersionsBytesArePassedAlongNotMadeAgain() {
        RefreshOutcome outcome = refresher().refresh(KEY, RefreshReason.STARTUP, null);

        assertThat(outcome.result()).isEqualTo(RefreshOutcome.Result.REFRESHED);
        String fingerprint = fetched.get().fingerprint();
        TokenRefreshed published = fixture.publisher.signedTokens.get(0).event();
        assertThat(published.fingerprint()).isSameAs(fingerprint);
        assertThat(fixture.publisher.lastAudit().fingerprint()).isSameAs(fingerprint);
        assertThat(outcome.fingerprint()).isSameAs(fingerprint);
        assertThat(fixture.publisher.signedTokens.get(0).json()).isSameAs(fixture.store.lastWrittenBytes);
    }

    private Refresher refresher() {
        return fixture.refresher("write-path-test", new ManagedCredential(KEY, WeChatApi.STABLE, "secret"))
                .source((credential, mode) -> {
                    // A string of its own, as an HTTP answer's would be.
                    FetchedToken token = new FetchedToken(
                            new String("token-of-wxonce"), Duration.ofHours(2), fixture.clock.instant());
                    fetched.set(token);
                    return token;
                })
                .build();
    }
}
