package io.tokencast.wxjava.mp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tokencast.consumer.TokenView;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import io.tokencast.testkit.wechat.SandboxCall;
import io.tokencast.testkit.wechat.WeChatEndpoint;
import io.tokencast.wxjava.TokencastRig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import me.chanjar.weixin.common.error.WxErrorException;
import me.chanjar.weixin.mp.api.WxMpService;
import me.chanjar.weixin.mp.api.impl.WxMpServiceImpl;
import me.chanjar.weixin.mp.config.WxMpHostConfig;
import me.chanjar.weixin.mp.config.impl.WxMpDefaultConfigImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Ten official-account services built on WxJava, a real refresher, the WeChat sandbox: with tokencast the
 * services never fetch a token, and a token killed behind tokencast's back costs WeChat one fetch and the callers
 * nothing; stock WxJava in the same scenario fetches for itself.
 */
class WxMpFleetIT {

    private static final int INSTANCES = 10;
    private static final Duration OVERLAP = Duration.ofSeconds(300);

    private final String appid =
            "wx" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    private final String secret = "secret-" + UUID.randomUUID().toString().replace("-", "");
    private final TokenKey key = TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, appid);
    private final TokencastRig rig = new TokencastRig();

    @AfterEach
    void close() {
        rig.close();
    }

    @Test
    void tenServicesCallWeChatForHoursWithoutFetchingAToken() throws Exception {
        startRefresher();
        List<TokenView> views = new ArrayList<>();
        List<WxMpService> services = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            TokenView view = rig.view("mp-" + i);
            views.add(view);
            services.add(tokencastService(view));
        }

        int calls = 0;
        // 2.5 virtual hours in 2-minute steps: across the refresher's scheduled refresh at 75 % of the token's life.
        for (int step = 0; step < 75; step++) {
            rig.clock.advance(Duration.ofMinutes(2));
            await().atMost(Duration.ofSeconds(20)).until(() -> views.stream().allMatch(v -> v.find(key)
                    .map(t -> rig.sandbox.checkToken(t.value()) == 0)
                    .orElse(false)));
            for (WxMpService service : services) {
                assertThat(service.getCallbackIP()).isNotEmpty();
                calls++;
            }
        }

        long published = views.get(0).token(key).version();
        assertThat(published).as("versions the refresher published").isGreaterThanOrEqualTo(2);
        assertThat(tokenFetches())
                .as("token fetches WeChat saw, all of them the refresher's")
                .isEqualTo(published);
        assertThat(businessCalls(0)).isEqualTo(calls);
        assertThat(businessCallsFailed()).isZero();
    }

    @Test
    void aTokenKilledBehindTokencastsBackCostsOneFetchAndNoFailedCall() throws Exception {
        startRefresher();
        List<WxMpService> services = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            services.add(tokencastService(rig.view("mp-storm-" + i)));
        }
        services.forEach(WxMpFleetIT::callOnce);
        long fetchesBefore = tokenFetches();

        rig.fetchBehindTokencastsBack(appid, secret);
        rig.clock.advance(OVERLAP.plusSeconds(1));
        StormResult storm = storm(services, 3);

        assertThat(storm.failed()).as("failed business calls").isZero();
        assertThat(storm.succeeded()).isEqualTo(INSTANCES * 3);
        assertThat(tokenFetches() - fetchesBefore)
                .as("fetches after the third party's: the refresher's one for the invalidation")
                .isEqualTo(2);
        assertThat(businessCallsRefused(40001))
                .as("calls WeChat refused before WxJava's retry, at most one per instance and thread")
                .isBetween(1L, (long) INSTANCES * 3);
    }

    @Test
    void stockWxJavaInTheSameStormFetchesForItself() throws Exception {
        startRefresher();
        List<WxMpService> services = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            services.add(stockService());
        }
        services.forEach(WxMpFleetIT::callOnce);
        long afterWarmUp = tokenFetches();
        assertThat(afterWarmUp)
                .as("the refresher's fetch and one per stock instance")
                .isEqualTo(1 + INSTANCES);

        rig.fetchBehindTokencastsBack(appid, secret);
        rig.clock.advance(OVERLAP.plusSeconds(1));
        storm(services, 1);

        assertThat(tokenFetches() - afterWarmUp - 1)
                .as("fetches the stock instances made for the invalidation")
                .isGreaterThanOrEqualTo(INSTANCES);
    }

    private void startRefresher() {
        rig.sandbox.registerApp(appid, secret);
        rig.credential("wechat-access-token", appid, secret, "classic").startRefresher();
        await().atMost(Duration.ofSeconds(30)).until(() -> tokenFetches() == 1);
    }

    private WxMpService tokencastService(TokenView view) {
        TokencastWxMpConfigStorage storage = new TokencastWxMpConfigStorage(view, appid, Duration.ofSeconds(20));
        storage.setHostConfig(sandboxHosts());
        WxMpService service = new TokencastWxMpService();
        service.setWxMpConfigStorage(storage);
        return service;
    }

    private WxMpService stockService() {
        WxMpDefaultConfigImpl storage = new WxMpDefaultConfigImpl();
        storage.setAppId(appid);
        storage.setSecret(secret);
        storage.setHostConfig(sandboxHosts());
        WxMpService service = new WxMpServiceImpl();
        service.setWxMpConfigStorage(storage);
        return service;
    }

    private WxMpHostConfig sandboxHosts() {
        String url = rig.sandbox.url().toString();
        return new WxMpHostConfig(url, url, url);
    }

    private static void callOnce(WxMpService service) {
        try {
            assertThat(service.getCallbackIP()).isNotEmpty();
        } catch (WxErrorException e) {
            throw new AssertionError("business call failed: " + e.getError().getErrorCode(), e);
        }
    }

    /** Every service calls from {@code threads} threads at once; counts what succeeded and what failed. */
    private static StormResult storm(List<WxMpService> services, int threads) throws Exception {
        AtomicInteger succeeded = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(services.size() * threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (WxMpService service : services) {
                for (int t = 0; t < threads; t++) {
                    done.add(pool.submit(() -> {
                        try {
                            service.getCallbackIP();
                            succeeded.incrementAndGet();
                        } catch (WxErrorException | RuntimeException e) {
                            failed.incrementAndGet();
                        }
                    }));
                }
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return new StormResult(succeeded.get(), failed.get());
    }

    private record StormResult(int succeeded, int failed) {}

    private long tokenFetches() {
        return rig.sandbox.calls(appid, WeChatEndpoint.TOKEN) + rig.sandbox.calls(appid, WeChatEndpoint.STABLE_TOKEN);
    }

    private List<SandboxCall> businessCallLog() {
        return rig.sandbox.callLog().stream()
                .filter(c -> c.endpoint() == WeChatEndpoint.GET_CALLBACK_IP)
                .toList();
    }

    private long businessCalls(int errcode) {
        return businessCallLog().stream()
                .filter(c -> c.errcode() != null && c.errcode() == errcode)
                .count();
    }

    private long businessCallsFailed() {
        return businessCallLog().stream()
                .filter(c -> c.errcode() == null || c.errcode() != 0)
                .count();
    }

    private long businessCallsRefused(int errcode) {
        return businessCalls(errcode);
    }
}
