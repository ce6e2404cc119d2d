package io.tokencast.refresher.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokencast.refresher.wechat.WeChatApi;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acceptance: the policy and the rate limiter driven over 24 virtual hours for a fleet of 1000 classic and
 * 1000 stable apps all started at once, with a simple model of WeChat (a classic fetch mints a 7200 s
 * token; a normal-mode stable fetch returns the current token until its last 300 s, counted as a fetch
 * anyway). The scheduler is modelled as a 1 s tick that starts every due key the limiter allows.
 */
class RefreshSimulationTest {

    private static final Logger log = LoggerFactory.getLogger(RefreshSimulationTest.class);

    private static final long DAY = 86_400;
    private static final long LIFE = 7_200;
    private static final long STABLE_WINDOW = 300;
    private static final int APPS_PER_API = 1000;
    private static final Instant T0 = Instant.parse("2026-03-01T16:00:00Z"); // 00:00 in Shanghai

    /**
     * Classic tokens are refreshed at about 75 % of their life (at least 72.5 %), so a day holds at most
     * 1 + floor(86,399 / 5,220) = 17 fetches; stable tokens once per 7200 s life plus the first: 13.
     */
    private static final int CLASSIC_MAX_PER_DAY = 1 + (int) ((DAY - 1) / Math.round(LIFE * 0.725));

    private static final int STABLE_MAX_PER_DAY = 13;

    private final StandardRefreshPolicy policy =
            new StandardRefreshPolicy(Duration.ofSeconds(2), Duration.ofMinutes(5), Duration.ofHours(1));

    /** One simulated app and WeChat's view of it. */
    private static final class App {
        final int id;
        final TokenKey key;
        final WeChatApi api;
        long due;
        long expiresAt = -1;
        int fetches;
        int lateRefreshes;

        App(int id, WeChatApi api) {
            this.id = id;
            this.api = api;
            this.key = TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, String.format("wx%016x", id));
        }
    }

    @ParameterizedTest(name = "{0} fetches per second")
    @ValueSource(ints = {50, 5})
    void aDayOfAThousandAppsStaysWithinTheBudgets(int maxFetchesPerSecond) {
        FetchRateLimiter limiter = new FetchRateLimiter(maxFetchesPerSecond);
        List<App> apps = new ArrayList<>();
        for (int i = 0; i < APPS_PER_API; i++) {
            apps.add(new App(i, WeChatApi.CLASSIC));
            apps.add(new App(APPS_PER_API + i, WeChatApi.STABLE));
        }
        PriorityQueue<App> queue =
                new PriorityQueue<>(Comparator.comparingLong((App a) -> a.due).thenComparingInt(a -> a.id));
        queue.addAll(apps);
        int[] perSecond = new int[(int) DAY];

        for (long now = 0; now < DAY; now++) {
            while (!queue.isEmpty() && queue.peek().due <= now) {
                if (!limiter.tryAcquire(T0.plusSeconds(now).plusMillis(500))) {
                    break; // the rest stay due and go first at the next tick
                }
                App app = queue.poll();
                fetch(app, now);
                perSecond[(int) now]++;
                queue.add(app);
            }
        }

        int classicMax = apps.stream()
                .filter(a -> a.api == WeChatApi.CLASSIC)
                .mapToInt(a -> a.fetches)
                .max()
                .orElseThrow();
        int stableMax = apps.stream()
                .filter(a -> a.api == WeChatApi.STABLE)
                .mapToInt(a -> a.fetches)
                .max()
                .orElseThrow();
        double classicMean = apps.stream()
                .filter(a -> a.api == WeChatApi.CLASSIC)
                .mapToInt(a -> a.fetches)
                .average()
                .orElseThrow();
        double stableMean = apps.stream()
                .filter(a -> a.api == WeChatApi.STABLE)
                .mapToInt(a -> a.fetches)
                .average()
                .orElseThrow();
        int busiestSecond = java.util.Arrays.stream(perSecond).max().orElseThrow();
        int late = apps.stream().mapToInt(a -> a.lateRefreshes).sum();
        log.info(
                "simulation apps={} hours=24 maxFetchesPerSecond={} classicMaxPerAppDay={} classicMeanPerAppDay={}"
                        + " stableMaxPerAppDay={} stableMeanPerAppDay={} busiestSecondFetches={} lateRefreshes={}",
                apps.size(),
                maxFetchesPerSecond,
                classicMax,
                String.format("%.2f", classicMean),
                stableMax,
                String.format("%.2f", stableMean),
                busiestSecond,
                late);

        assertThat(classicMax).as("classic fetches per app per day").isLessThanOrEqualTo(CLASSIC_MAX_PER_DAY);
        assertThat(stableMax).as("stable fetches per app per day").isLessThanOrEqualTo(STABLE_MAX_PER_DAY);
        assertThat(busiestSecond).as("fetches in the busiest second").isLessThanOrEqualTo(maxFetchesPerSecond);
        assertThat(late).as("refreshes that came after the token had expired").isZero();
    }

    private void fetch(App app, long now) {
        if (app.expiresAt >= 0 && now >= app.expiresAt) {
            app.lateRefreshes++;
        }
        app.fetches++;
        boolean rotates = app.api != WeChatApi.STABLE || app.expiresAt < 0 || app.expiresAt - now <= STABLE_WINDOW;
        if (rotates) {
            app.expiresAt = now + LIFE;
        }
        // What the refresher stores: issued now (as far as it knows), expiring when WeChat says.
        Instant next = policy.nextRefreshAt(app.key, app.api, T0.plusSeconds(now), T0.plusSeconds(app.expiresAt));
        // The 1 s tick picks a key up at the first tick at or after its nextRefreshAt.
        long nextSecond = (long) Math.ceil(Duration.between(T0, next).toMillis() / 1000.0);
        app.due = Math.max(nextSecond, now + 1);
    }
}
