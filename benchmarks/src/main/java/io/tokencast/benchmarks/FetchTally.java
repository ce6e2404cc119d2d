package io.tokencast.benchmarks;

import io.tokencast.refresher.wechat.WeChatApi;
import io.tokencast.testkit.wechat.SandboxCall;
import io.tokencast.testkit.wechat.WeChatEndpoint;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What WeChat counted during a virtual day, from the sandbox's own call log: token calls per API and the
 * busiest second; and the rows the refresh-scale benchmarks report from it.
 */
record FetchTally(Map<WeChatApi, Long> fetches, long total, int peakPerSecond) {

    /** Stable tokens are renewed in their last minutes: twelve rotations and the start-up fetch. */
    static final double STABLE_TARGET_PER_DAY = 13;
    /**
     * Classic tokens are renewed at about 75 % of their life, so a failed refresh still has half an hour of
     * retries: 24 h / 90 min is 16 renewals, plus the start-up fetch.
     */
    static final double CLASSIC_TARGET_PER_DAY = 17;
    /** Two-hour tokens: the fewest fetches that keep an app covered all day. */
    static final double MINIMUM_FETCHES_PER_DAY = 12;

    /** Counts the token calls answered before {@code end}, by the API each app uses. */
    static FetchTally of(List<SandboxCall> calls, Map<String, WeChatApi> apiByAccount, Instant end) {
        Map<WeChatApi, Long> fetches = new EnumMap<>(WeChatApi.class);
        Map<Long, Integer> perSecond = new HashMap<>();
        long total = 0;
        for (SandboxCall call : calls) {
            boolean tokenCall =
                    call.endpoint() == WeChatEndpoint.STABLE_TOKEN || call.endpoint() == WeChatEndpoint.TOKEN;
            if (tokenCall && call.at().isBefore(end)) {
                fetches.merge(apiByAccount.get(call.account()), 1L, Long::sum);
                perSecond.merge(call.at().getEpochSecond(), 1, Integer::sum);
                total++;
            }
        }
        int peak = perSecond.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        return new FetchTally(fetches, total, peak);
    }

    /**
     * @param what names the benchmark in each row, e.g. {@code refresher, 2k apps}
     * @param apps half stable (even indices), half classic
     * @param cpuMicrosPerRefresh process CPU time per refresh
     * @param heapMb heap retained after GC
     */
    List<Row> rows(String what, int apps, Duration span, double cpuMicrosPerRefresh, double heapMb) {
        double days = span.toMillis() / (double) Duration.ofDays(1).toMillis();
        double stable = fetches.getOrDefault(WeChatApi.STABLE, 0L) / (double) ((apps + 1) / 2) / days;
        double classic = fetches.getOrDefault(WeChatApi.CLASSIC, 0L) / (double) (apps / 2) / days;
        return List.of(
                perDay("stable", what, stable, STABLE_TARGET_PER_DAY),
                perDay("classic", what, classic, CLASSIC_TARGET_PER_DAY),
                new Row(
                        "refresh (" + what + "): max fetches in any second",
                        "/s",
                        peakPerSecond,
                        total / (double) span.toSeconds(),
                        "day's mean",
                        "—",
                        Row.Verdict.INFO),
                new Row(
                        "refresh (" + what + "): heap retained after GC",
                        "MB",
                        heapMb,
                        Double.NaN,
                        "—",
                        "—",
                        Row.Verdict.INFO),
                new Row(
                        "refresh (" + what + "): CPU time per refresh",
                        "µs",
                        cpuMicrosPerRefresh,
                        Double.NaN,
                        "—",
                        "—",
                        Row.Verdict.INFO));
    }

    private static Row perDay(String api, String what, double perDay, double target) {
        return new Row(
                "refresh (" + what + "): fetches/app/day, " + api,
                "",
                perDay,
                MINIMUM_FETCHES_PER_DAY,
                "2 h lifetime",
                "≤ " + (long) target,
                Row.Verdict.of(perDay <= target));
    }

    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        throw new IllegalStateException("this JVM does not report process CPU time");
    }

    static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
