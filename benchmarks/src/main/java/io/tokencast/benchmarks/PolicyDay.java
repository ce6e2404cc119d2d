package io.tokencast.benchmarks;

import io.tokencast.refresher.policy.FetchRateLimiter;
import io.tokencast.refresher.policy.RefreshPolicy;
import io.tokencast.refresher.policy.StandardRefreshPolicy;
import io.tokencast.refresher.wechat.CredentialSource;
import io.tokencast.refresher.wechat.FetchMode;
import io.tokencast.refresher.wechat.FetchedToken;
import io.tokencast.refresher.wechat.ManagedCredential;
import io.tokencast.refresher.wechat.WeChatApi;
import io.tokencast.refresher.wechat.WeChatException;
import io.tokencast.refresher.wechat.WeChatHttpClient;
import io.tokencast.testkit.MutableClock;
import io.tokencast.testkit.wechat.SandboxSettings;
import io.tokencast.testkit.wechat.WeChatSandbox;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Benchmark 4 at fleet scale: the refresher's decisions without its plumbing. The refresher's
 * {@link StandardRefreshPolicy}, {@link FetchRateLimiter} and {@link WeChatHttpClient} run a virtual day
 * against the WeChat sandbox; Redis, locks and Kafka are left out (see {@link RefresherDay} for those), which
 * is what makes 100k apps over 24 hours fit in minutes. Half the apps use stable tokens, half classic.
 */
final class PolicyDay {

    static final Instant START = Instant.parse("2026-03-02T00:00:00Z");
    /** The refresher's defaults ({@code tokencast.refresh.*}). */
    static final int MAX_FETCHES_PER_SECOND = 50;

    private static final Logger log = LoggerFactory.getLogger(PolicyDay.class);
    private static final RefreshPolicy POLICY =
            new StandardRefreshPolicy(Duration.ofSeconds(2), Duration.ofMinutes(5), Duration.ofHours(1));

    private final int apps;
    private final Duration span;
    private final ManagedCredential[] credentials;
    private final int[] failures;
    private final long[] expiresAtMillis;
    private final AtomicLong refreshes = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private VirtualDay day;

    private PolicyDay(int apps, Duration span) {
        this.apps = apps;
        this.span = span;
        this.credentials = new ManagedCredential[apps];
        this.failures = new int[apps];
        this.expiresAtMillis = new long[apps];
        for (int i = 0; i < apps; i++) {
            WeChatApi api = i % 2 == 0 ? WeChatApi.STABLE : WeChatApi.CLASSIC;
            credentials[i] = new ManagedCredential(TokenEvents.key(i), api, "bench-secret-" + i);
        }
    }

    static List<Row> run(Sizes sizes) {
        long heapBefore = FetchTally.heapAfterGc();
        return new PolicyDay(sizes.scaleApps(), sizes.scaleSpan()).measure(heapBefore);
    }

    private List<Row> measure(long heapBefore) {
        Result result = runDay();
        // Only now is the sandbox unreachable (an interpreted frame keeps its locals alive): what survives this
        // GC is the refresher's side, i.e. catalog, schedule and per-app state.
        double heapMb = (FetchTally.heapAfterGc() - heapBefore) / 1_048_576.0;
        String what = "policy + WeChat client, " + Sizes.count(apps) + " apps";
        return result.tally().rows(what, apps, span, result.cpuNanos() / 1000.0 / refreshes.get(), heapMb);
    }

    private record Result(FetchTally tally, long cpuNanos) {}

    private Result runDay() {
        MutableClock clock = new MutableClock(START);
        SandboxSettings settings =
                SandboxSettings.builder().ticketPushInterval(Duration.ZERO).build();
        Map<String, WeChatApi> apiByAccount = new HashMap<>();
        try (WeChatSandbox sandbox = WeChatSandbox.start(clock, settings)) {
            for (ManagedCredential credential : credentials) {
                sandbox.registerApp(credential.key().account(), credential.secret());
                apiByAccount.put(credential.key().account(), credential.api());
            }
            WeChatHttpClient.Host host = new WeChatHttpClient.Host(sandbox.url(), Duration.ofSeconds(10));
            CredentialSource wechat = new WeChatHttpClient(host, host, clock);
            day = new VirtualDay(Collections.nCopies(apps, START));
            long cpuStart = FetchTally.processCpuNanos();
            long wallStart = System.nanoTime();
            day.run(
                    clock,
                    START.plus(span),
                    new FetchRateLimiter(MAX_FETCHES_PER_SECOND),
                    (app, now) -> refresh(app, wechat, now));
            long cpuNanos = FetchTally.processCpuNanos() - cpuStart;
            FetchTally tally = FetchTally.of(sandbox.callLog(), apiByAccount, START.plus(span));
            log.info(
                    "policy day apps={} refreshes={} errors={} wallMs={} cpuMs={} wechatCalls={}",
                    apps,
                    refreshes,
                    errors,
                    (System.nanoTime() - wallStart) / 1_000_000,
                    cpuNanos / 1_000_000,
                    tally);
            return new Result(tally, cpuNanos);
        }
    }

    private Instant refresh(int app, CredentialSource wechat, Instant now) {
        ManagedCredential credential = credentials[app];
        refreshes.incrementAndGet();
        try {
            FetchedToken token = wechat.fetch(credential, FetchMode.NORMAL);
            failures[app] = 0;
            expiresAtMillis[app] = token.expiresAt().toEpochMilli();
            return POLICY.nextRefreshAt(credential.key(), credential.api(), token.fetchedAt(), token.expiresAt());
        } catch (WeChatException e) {
            long failed = errors.incrementAndGet();
            failures[app]++;
            Instant expires = expiresAtMillis[app] == 0 ? null : Instant.ofEpochMilli(expiresAtMillis[app]);
            if (failed <= 10) {
                log.warn("fetch failed key={} failures={} error={}", credential.key(), failures[app], e.getMessage());
            }
            return POLICY.retryAt(credential.key(), failures[app], e, now, expires);
        }
    }
}
