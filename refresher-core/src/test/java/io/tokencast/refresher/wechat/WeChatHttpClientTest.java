package io.tokencast.refresher.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokencast.refresher.wechat.WeChatException.Retry;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import io.tokencast.testkit.MutableClock;
import io.tokencast.testkit.wechat.SandboxSettings;
import io.tokencast.testkit.wechat.WeChatEndpoint;
import io.tokencast.testkit.wechat.WeChatSandbox;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link WeChatHttpClient} against the WeChat sandbox over real HTTP. */
class WeChatHttpClientTest {

    private static final String APPID = "wx0123456789abcdef";
    // '+' and '/' make the URL-encoded form differ from the raw one: both must stay out of messages.
    private static final String SECRET = "s3cr3t+/value0123456789abcdef";
    private static final String CORPID = "ww0123456789abcdef";
    private static final String AGENT = "1000002";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T01:00:00Z"));
    private WeChatSandbox sandbox;
    private WeChatHttpClient client;

    @BeforeEach
    void startSandbox() {
        start(SandboxSettings.defaults());
    }

    @AfterEach
    void stopSandbox() {
        sandbox.close();
    }

    private void start(SandboxSettings settings) {
        if (sandbox != null) {
            sandbox.close();
        }
        sandbox = WeChatSandbox.start(clock, settings);
        sandbox.registerApp(APPID, SECRET);
        sandbox.registerWeComApp(CORPID, AGENT, SECRET);
        client = clientFor(sandbox.url(), Duration.ofSeconds(5));
    }

    private WeChatHttpClient clientFor(URI url, Duration timeout) {
        return new WeChatHttpClient(
                new WeChatHttpClient.Host(url, timeout), new WeChatHttpClient.Host(url, timeout), clock);
    }

    private static ManagedCredential app(WeChatApi api) {
        return new ManagedCredential(TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, APPID), api, SECRET);
    }

    private static ManagedCredential wecomApp() {
        return new ManagedCredential(
                TokenKey.of(TokenKind.WECOM_ACCESS_TOKEN, CORPID + "." + AGENT), WeChatApi.WECOM, SECRET);
    }

    @Test
    void fetchesAClassicTokenDatedByTheInjectedClock() {
        FetchedToken token = client.fetch(app(WeChatApi.CLASSIC), FetchMode.NORMAL);

        assertThat(token.expiresIn()).isEqualTo(Duration.ofSeconds(7200));
        assertThat(token.fetchedAt()).isEqualTo(clock.instant());
        assertThat(sandbox.checkToken(token.token())).isZero();
        assertThat(sandbox.calls(APPID, WeChatEndpoint.TOKEN)).isEqualTo(1);
    }

    @Test
    void classicFetchesMintANewTokenEachTime() {
        FetchedToken first = client.fetch(app(WeChatApi.CLASSIC), FetchMode.NORMAL);
        FetchedToken second = client.fetch(app(WeChatApi.CLASSIC), FetchMode.NORMAL);

        assertThat(second.token()).isNotEqualTo(first.token());
        assertThat(sandbox.tokensIssued(APPID, WeChatEndpoint.TOKEN)).isEqualTo(2);
    }

    @Test
    void stableNormalModeReturnsTheCurrentTokenWithItsRemainingLife() {
        FetchedToken first = client.fetch(app(WeChatApi.STABLE), FetchMode.NORMAL);
        clock.advance(Duration.ofSeconds(100));

        FetchedToken second = client.fetch(app(WeChatApi.STABLE), FetchMode.NORMAL);

        assertThat(second.token()).isEqualTo(first.token());
        assertThat(second.expiresIn()).isEqualTo(Duration.ofSeconds(7100));
        assertThat(second.expiresAt()).isEqualTo(first.expiresAt());
        assertThat(sandbox.calls(APPID, WeChatEndpoint.STABLE_TOKEN)).isEqualTo(2);
    }

    @Test
    void stableForceModeMintsANewToken() {
        FetchedToken normal = client.fetch(app(WeChatApi.STABLE), FetchMode.NORMAL);
        clock.advance(Duration.ofSeconds(60));

        FetchedToken forced = client.fetch(app(WeChatApi.STABLE), FetchMode.FORCE);

        assertThat(forced.token()).isNotEqualTo(normal.token());
        assertThat(forced.expiresIn()).isEqualTo(Duration.ofSeconds(7200));
        assertThat(sandbox.checkToken(forced.token())).isZero();
        assertThat(sandbox.tokensIssued(APPID, WeChatEndpoint.STABLE_TOKEN)).isEqualTo(2);
    }

    @Test
    void fetchesAWeComTokenWithTheCorpidFromTheAccount() {
        FetchedToken token = client.fetch(wecomApp(), FetchMode.NORMAL);

        assertThat(token.expiresIn()).isEqualTo(Duration.ofSeconds(7200));
        assertThat(sandbox.checkToken(token.token())).isZero();
        assertThat(sandbox.calls(CORPID + "." + AGENT, WeChatEndpoint.WECOM_GETTOKEN))
                .isEqualTo(1);
    }

    @Test
    void aWrongSecretStopsTheKey() {
        ManagedCredential wrong = new ManagedCredential(app(WeChatApi.CLASSIC).key(), WeChatApi.CLASSIC, "wrong-one");

        WeChatException e = fetchFails(wrong, FetchMode.NORMAL, "wrong-one");

        assertThat(e.errorCode()).isEqualTo("40125");
        assertThat(e.retry()).isEqualTo(Retry.STOP);
        assertThat(e.getMessage()).contains("invalid appsecret rid: ").contains("secret");
    }

    @Test
    void aWrongWeComSecretStopsTheKey() {
        ManagedCredential wrong = new ManagedCredential(wecomApp().key(), WeChatApi.WECOM, "wrong-corp-secret");

        WeChatException e = fetchFails(wrong, FetchMode.NORMAL, "wrong-corp-secret");

        assertThat(e.errorCode()).isEqualTo("40001");
        assertThat(e.retry()).isEqualTo(Retry.STOP);
    }

    @Test
    void aSystemErrorBacksOff() {
        sandbox.failNext(APPID, 1);

        WeChatException e = fetchFails(app(WeChatApi.STABLE), FetchMode.NORMAL);

        assertThat(e.errorCode()).isEqualTo("-1");
        assertThat(e.retry()).isEqualTo(Retry.BACKOFF);
        assertThat(e.getMessage()).contains("system error rid: ");
    }

    @Test
    void aSpentDailyQuotaWaitsForTomorrow() {
        start(SandboxSettings.builder().classicDailyQuota(1).build());
        client.fetch(app(WeChatApi.CLASSIC), FetchMode.NORMAL);

        WeChatException e = fetchFails(app(WeChatApi.CLASSIC), FetchMode.NORMAL);

        assertThat(e.errorCode()).isEqualTo("45009");
        assertThat(e.retry()).isEqualTo(Retry.QUOTA);
    }

    @Test
    void anIpOutsideTheWhitelistStopsTheKey() {
        sandbox.setIpWhitelist(APPID, Set.of("203.0.113.7"));

        WeChatException e = fetchFails(app(WeChatApi.CLASSIC), FetchMode.NORMAL);

        assertThat(e.errorCode()).isEqualTo("40164");
        assertThat(e.retry()).isEqualTo(Retry.STOP);
        assertThat(e.getMessage()).contains("whitelist");
    }

    @Test
    void anUnknownErrcodeStopsRatherThanBurnTheQuota() {
        sandbox.scriptErrcode(APPID, 49999);

        WeChatException e = fetchFails(app(WeChatApi.STABLE), FetchMode.NORMAL);

        assertThat(e.errorCode()).isEqualTo("49999");
        assertThat(e.retry()).isEqualTo(Retry.STOP);
    }

    @Test
    void aServerErrorBacksOff() {
        sandbox.serverErrorNext(1, 503);

        WeChatException e = fetchFails(app(WeChatApi.CLASSIC), FetchMode.NORMAL);

        assertThat(e.errorCode()).isEqualTo("HTTP_503");
        assertThat(e.retry()).isEqualTo(Retry.BACKOFF);
    }

    @Test
    void aResetConnectionBacksOff() {
        sandbox.resetConnectionNext(1);

        WeChatException e = fetchFails(app(WeChatApi.STABLE), FetchMode.NORMAL);

        assertThat(e.errorCode()).isEqualTo("IO");
        assertThat(e.retry()).isEqualTo(Retry.BACKOFF);
        assertThat(e.getMessage()).contains("POST http://127.0.0.1:").contains("/cgi-bin/stable_token failed");
    }

    @Test
    void aConnectionResetTwiceOnAGetBacksOff() {
        // java.net.http retries an idempotent GET once when the connection dies before any answer.
        sandbox.resetConnectionNext(2);

        WeChatException e = fetchFails(app(WeChatApi.CLASSIC), FetchMode.NORMAL);

        assertThat(e.errorCode()).isEqualTo("IO");
        assertThat(e.retry()).isEqualTo(Retry.BACKOFF);
        assertThat(e.getMessage()).contains("GET http://127.0.0.1:").contains("/cgi-bin/token failed");
    }

    @Test
    void aSlowAnswerTimesOut() {
        sandbox.setLatency(Duration.ofSeconds(3));
        WeChatHttpClient impatient = clientFor(sandbox.url(), Duration.ofMillis(200));

        WeChatException e = FetchFailures.fetchFails(impatient, wecomApp(), FetchMode.NORMAL, SECRET);

        assertThat(e.errorCode()).isEqualTo("TIMEOUT");
        assertThat(e.retry()).isEqualTo(Retry.BACKOFF);
    }

    private WeChatException fetchFails(ManagedCredential credential, FetchMode mode) {
        return FetchFailures.fetchFails(client, credential, mode, SECRET);
    }

    private WeChatException fetchFails(ManagedCredential credential, FetchMode mode, String secret) {
        return FetchFailures.fetchFails(client, credential, mode, secret);
    }
}
