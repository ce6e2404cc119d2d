package io.tokencast.benchmarks;

import io.tokencast.refresher.RefresherApplication;
import io.tokencast.refresher.policy.FetchRateLimiter;
import io.tokencast.refresher.refresh.RefreshOutcome;
import io.tokencast.refresher.refresh.Refresher;
import io.tokencast.refresher.signing.SigningKeyFiles;
import io.tokencast.refresher.store.StoredToken;
import io.tokencast.refresher.store.TokenStore;
import io.tokencast.refresher.wechat.WeChatApi;
import io.tokencast.schema.RefreshReason;
import io.tokencast.schema.TokenKey;
import io.tokencast.testkit.LocalInfrastructure;
import io.tokencast.testkit.MutableClock;
import io.tokencast.testkit.wechat.SandboxSettings;
import io.tokencast.testkit.wechat.WeChatSandbox;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;

/**
 * Benchmark 4 through the whole refresh path: a refresher-service Spring context on the virtual clock, with
 * Redis, the broker and the WeChat sandbox. The context's own scheduler ticks until it leads and has
 * recovered from the tokens topic, and is then stopped; from there {@link VirtualDay} plays the scheduler's
 * 1-second ticks on virtual time, asking the context's {@link FetchRateLimiter} and calling the context's
 * {@link Refresher} for each due key, which locks the key, re-reads Redis, checks the quota, fetches over
 * HTTP, compare-and-sets Redis, publishes the new version and audits the attempt. When a key is due next is
 * read back from Redis, as the scheduler's planner reads it.
 */
final class RefresherDay {

    private static final Logger log = LoggerFactory.getLogger(RefresherDay.class);
    private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(2);

    private final Rig rig;
    private final int apps;
    private final Duration span;
    private final List<TokenKey> keys = new ArrayList<>();
    private final Map<RefreshOutcome.Result, Long> outcomes = new EnumMap<>(RefreshOutcome.Result.class);
    private long refreshes;

    private RefresherDay(Rig rig, int apps, Duration span) {
        this.rig = rig;
        this.apps = apps;
        this.span = span;
        for (int i = 0; i < apps; i++) {
            keys.add(TokenEvents.key(i));
        }
    }

    static List<Row> run(Rig rig, Sizes sizes) {
        return new RefresherDay(rig, sizes.refresherApps(), sizes.scaleSpan()).measure();
    }

    private List<Row> measure() {
        long heapBefore = FetchTally.heapAfterGc();
        MutableClock clock = new MutableClock(PolicyDay.START);
        Map<String, WeChatApi> apiByAccount = new HashMap<>();
        WeChatSandbox sandbox = WeChatSandbox.start(
                clock,
                SandboxSettings.builder().ticketPushInterval(Duration.ZERO).build());
        ConfigurableApplicationContext context = null;
        FetchTally tally;
        long cpuNanos;
        try {
            for (int i = 0; i < apps; i++) {
                sandbox.registerApp(keys.get(i).account(), secret(i));
                apiByAccount.put(keys.get(i).account(), api(i));
            }
            context = start(clock, properties(sandbox));
            long cpuStart = FetchTally.processCpuNanos();
            long wallStart = System.nanoTime();
            runDay(context, clock);
            cpuNanos = FetchTally.processCpuNanos() - cpuStart;
            tally = FetchTally.of(sandbox.callLog(), apiByAccount, PolicyDay.START.plus(span));
            log.info(
                    "refresher day apps={} refreshes={} outcomes={} wallMs={} cpuMs={} wechatCalls={}",
                    apps,
                    refreshes,
                    outcomes,
                    (System.nanoTime() - wallStart) / 1_000_000,
                    cpuNanos / 1_000_000,
                    tally);
        } catch (RuntimeException e) {
            if (context != null) {
                context.close();
            }
            throw e;
        } finally {
            sandbox.close();
        }
        // Unreachable for the GC below (an interpreted frame keeps its locals alive): what survives is the
        // running refresher with its catalog and clients, not the sandbox's call log.
        sandbox = null;
        double heapMb;
        try {
            heapMb = (FetchTally.heapAfterGc() - heapBefore) / 1_048_576.0;
        } finally {
            context.close();
        }
        String what = "refresher, " + Sizes.count(apps) + " apps";
        return tally.rows(what, apps, span, cpuNanos / 1000.0 / Math.max(1, refreshes), heapMb);
    }

    private ConfigurableApplicationContext start(MutableClock clock, List<String> properties) {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(RefresherApplication.class)
                .initializers(ctx -> ctx.getBeanFactory().registerSingleton("benchmarkClock", clock))
                .run(properties.stream().map(p -> "--" + p).toArray(String[]::new));
        TokenStore store = context.getBean(TokenStore.class);
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (!store.isRecovered()) {
            if (System.nanoTime() > deadline) {
                context.close();
                throw new IllegalStateException("the refresher did not recover from the tokens topic within "
                        + STARTUP_TIMEOUT + "; is the broker up?");
            }
            // The first tick runs on the context's scheduler thread; there is nothing to wait on but the store.
            parkMillis(20);
        }
        // Stopping waits for the tick in progress, so from here on only VirtualDay refreshes.
        context.getBean("refreshScheduler", SmartLifecycle.class).stop();
        return context;
    }

    private void runDay(ConfigurableApplicationContext context, MutableClock clock) {
        Refresher refresher = context.getBean(Refresher.class);
        TokenStore store = context.getBean(TokenStore.class);
        Map<TokenKey, StoredToken> stored = store.readAll(keys);
        List<Instant> firstDue = new ArrayList<>(apps);
        for (TokenKey key : keys) {
            firstDue.add(dueAt(stored.get(key), clock.instant()));
        }
        new VirtualDay(firstDue)
                .run(clock, PolicyDay.START.plus(span), context.getBean(FetchRateLimiter.class), (app, now) -> {
                    TokenKey key = keys.get(app);
                    RefreshReason reason =
                            store.read(key).version() == 0 ? RefreshReason.STARTUP : RefreshReason.SCHEDULED;
                    RefreshOutcome outcome = refresher.refresh(key, reason, null);
                    count(outcome.result());
                    return dueAt(store.read(key), now);
                });
    }

    private synchronized void count(RefreshOutcome.Result result) {
        refreshes++;
        outcomes.merge(result, 1L, Long::sum);
    }

    /** When the scheduler's planner would find the key due: after any retry wait, at its planned refresh. */
    private static Instant dueAt(StoredToken stored, Instant now) {
        Instant due =
                stored == null || stored.token() == null ? now : stored.token().nextRefreshAt();
        if (stored != null
                && stored.retry() != null
                && stored.retry().notBefore().isAfter(due)) {
            due = stored.retry().notBefore();
        }
        return due;
    }

    private List<String> properties(WeChatSandbox sandbox) {
        String tokens = LocalInfrastructure.uniqueName("bench.refresher.tokens");
        List<String> properties = new ArrayList<>(List.of(
                "server.port=0",
                "management.server.port=0",
                "spring.main.banner-mode=off",
                "spring.main.log-startup-info=false",
                "spring.kafka.bootstrap-servers=" + rig.bootstrapServers(),
                "spring.data.redis.url=" + rig.redisUri(),
                "tokencast.instance-id=bench-refresher",
                "tokencast.topics.tokens=" + tokens,
                "tokencast.topics.audit=" + tokens + "-audit",
                "tokencast.topics.admin=" + tokens + "-admin",
                "tokencast.topics.credentials=" + tokens + "-credentials",
                "tokencast.redis.key-prefix=" + LocalInfrastructure.uniqueName("bench") + ":",
                "tokencast.wechat.api-base-url=" + sandbox.url(),
                "tokencast.wechat.allow-insecure-base-url=true",
                "tokencast.wecom.api-base-url=" + sandbox.url(),
                "tokencast.wecom.allow-insecure-base-url=true",
                // Ticks until leadership and recovery are done (the clock stands still meanwhile, so the rate
                // limiter lets at most one second's worth of fetches through); VirtualDay plays the rest.
                "tokencast.refresh.tick=100ms",
                "tokencast.consumer.enabled=false",
                "tokencast.signing.key-file="
                        + SigningKeyFiles.temporary("bench-refresher").privateFile()));
        for (int i = 0; i < apps; i++) {
            properties.add(
                    "tokencast.apps[" + i + "].kind=" + keys.get(i).kind().id());
            properties.add("tokencast.apps[" + i + "].account=" + keys.get(i).account());
            properties.add("tokencast.apps[" + i + "].secret=" + secret(i));
            properties.add("tokencast.apps[" + i + "].api=" + (api(i) == WeChatApi.STABLE ? "stable" : "classic"));
        }
        return properties;
    }

    private static WeChatApi api(int app) {
        return app % 2 == 0 ? WeChatApi.STABLE : WeChatApi.CLASSIC;
    }

    private static String secret(int app) {
        return "bench-secret-" + app;
    }

    private static void parkMillis(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the refresher started", e);
        }
    }
}
