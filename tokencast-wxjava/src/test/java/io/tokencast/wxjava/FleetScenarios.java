package io.tokencast.wxjava;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tokencast.consumer.TokenView;
import io.tokencast.schema.TokenKey;
import io.tokencast.testkit.wechat.SandboxCall;
import io.tokencast.testkit.wechat.WeChatEndpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The acceptance scenarios every WxJava service type passes, with a real refresher, Kafka, Redis and the WeChat
 * sandbox: ten services calling for hours never fetch a token, and a token killed behind tokencast's back costs
 * WeChat one fetch and the callers no failed call (WxJava's own retry runs once, with the next token).
 *
 * @param <S> the WxJava service type
 */
public abstract class FleetScenarios<S> {

    protected static final int INSTANCES = 10;

    protected final TokencastRig rig = new TokencastRig();
    private long thirdPartyFetches;

    private static final Set<WeChatEndpoint> TOKEN_ENDPOINTS = EnumSet.of(
            WeChatEndpoint.TOKEN,
            WeChatEndpoint.STABLE_TOKEN,
            WeChatEndpoint.WECOM_GETTOKEN,
            WeChatEndpoint.COMPONENT_TOKEN,
            WeChatEndpoint.AUTHORIZER_TOKEN);

    /** Registers the account in the sandbox and the refresher, starts the refresher; returns the token key. */
    protected abstract TokenKey startRefresher();

    /** One service instance built the tokencast way over {@code view}. */
    protected abstract S tokencastService(TokenView view);

    /** A business call that needs the token; throws when WeChat refuses it. */
    protected abstract void businessCall(S service) throws Exception;

    /** Kills the current token at WeChat without tokencast knowing, so business calls start failing. */
    protected abstract void killTokenBehindTokencastsBack();

    protected static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 14);
    }

    @AfterEach
    void closeRig() {
        rig.close();
    }

    @Test
    void tenServicesCallWeChatForHoursWithoutFetchingAToken() throws Exception {
        TokenKey key = startRefresher();
        List<TokenView> views = new ArrayList<>();
        List<S> services = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            TokenView view = rig.view(getClass().getSimpleName() + "-" + i);
            views.add(view);
            services.add(tokencastService(view));
        }

        int calls = 0;
        // 2.7 virtual hours in 4-minute steps: across the refresher's scheduled refresh.
        for (int step = 0; step < 40; step++) {
            rig.clock.advance(Duration.ofMinutes(4));
            // Wait until every service holds a token WeChat accepts. WeCom hands out the same token until it
            // expires, so there the refresher gets the next one only after expiry and retries on the virtual
            // clock: time goes on, a second per look, while the test waits.
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                boolean servable = views.stream().allMatch(v -> v.find(key)
                        .map(t -> rig.sandbox.checkToken(t.value()) == 0)
                        .orElse(false));
                if (!servable) {
                    rig.clock.advance(Duration.ofSeconds(1));
                }
                return servable;
            });
            for (S service : services) {
                businessCall(service);
                calls++;
            }
        }

        assertThat(views.get(0).token(key).version())
                .as("versions the refresher published")
                .isGreaterThanOrEqualTo(2);
        // Every token WeChat handed out went to the refresher, which published it; a service's own fetch would
        // show as a token nobody published, or (having no secret) as a refused call with none issued.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(tokenCalls())
                .as("token fetches WeChat saw, all of them the refresher's")
                .isNotEmpty()
                .allMatch(c -> rig.published().contains(c.issuedFingerprint())));
        assertThat(businessCallLog()).hasSize(calls).allMatch(c -> Integer.valueOf(0)
                .equals(c.errcode()));
    }

    @Test
    void aTokenKilledBehindTokencastsBackCostsOneFetchAndNoFailedCall() throws Exception {
        startRefresher();
        List<S> services = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            services.add(tokencastService(rig.view(getClass().getSimpleName() + "-storm-" + i)));
        }
        for (S service : services) {
            businessCall(service);
        }

        killTokenBehindTokencastsBack();
        long fetchesBefore = tokenFetches();
        Storm storm = storm(services, 3);

        assertThat(storm.failed()).as("failed business calls").isZero();
        assertThat(storm.succeeded()).isEqualTo(INSTANCES * 3);
        assertThat(tokenFetches() - fetchesBefore)
                .as("fetches for the invalidation: the refresher's one")
                .isEqualTo(1);
        assertThat(businessCallLog().stream().filter(c -> c.errcode() != null && c.errcode() != 0))
                .as("calls WeChat refused before WxJava's retry, and the refresher's one liveness probe of the"
                        + " reported token (docs/design.md §5.7), which uses the same endpoint")
                .isNotEmpty()
                .hasSizeLessThanOrEqualTo(INSTANCES * 3 + 1);
    }

    protected void awaitRefresherFetch() {
        await().atMost(Duration.ofSeconds(30)).until(() -> tokenFetches() == 1);
    }

    /** Calls to any token endpoint the sandbox answered, less those of the third party. */
    protected long tokenFetches() {
        return tokenCalls().size() - thirdPartyFetches;
    }

    private List<SandboxCall> tokenCalls() {
        return rig.sandbox.callLog().stream()
                .filter(c -> TOKEN_ENDPOINTS.contains(c.endpoint()))
                .toList();
    }

    /** A third party with the AppSecret fetches a classic token at WeChat, behind tokencast's back. */
    protected void fetchBehindTokencastsBack(String appid, String secret) {
        thirdPartyFetches++;
        rig.fetchBehindTokencastsBack(appid, secret);
    }

    protected List<SandboxCall> businessCallLog() {
        return rig.sandbox.callLog().stream()
                .filter(c -> c.endpoint() == WeChatEndpoint.GET_CALLBACK_IP)
                .toList();
    }

    /** Every service calls from {@code threads} threads at once; counts what succeeded and what failed. */
    protected Storm storm(List<S> services, int threads) throws Exception {
        AtomicInteger succeeded = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(services.size() * threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (S service : services) {
                for (int t = 0; t < threads; t++) {
                    done.add(pool.submit(() -> {
                        try {
                            businessCall(service);
                            succeeded.incrementAndGet();
                        } catch (Exception e) {
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
        return new Storm(succeeded.get(), failed.get());
    }

    protected record Storm(int succeeded, int failed) {}
}
