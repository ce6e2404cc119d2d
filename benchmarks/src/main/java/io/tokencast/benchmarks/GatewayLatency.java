package io.tokencast.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The gateway benchmark's latency runs: the same call straight to the sandbox and through the gateway, at a
 * number of concurrent callers, and the CPU the sidecar's and the sandbox's threads spent meanwhile, which says
 * where the time goes once the callers outnumber the cores.
 */
final class GatewayLatency {

    private static final long HIGHEST_NANOS = 60_000_000_000L;
    private static final int BLOCK = 100;
    /** The sidecar's threads: its HTTP server's pool and its gateway's client pool (selectors included). */
    private static final List<String> SIDECAR_THREADS = List.of("tokencast-sidecar-http", "tokencast-sidecar-upstream");

    /** The sandbox's: the JDK HTTP server's dispatcher and its handler pool. */
    private static final List<String> SANDBOX_THREADS = List.of("HTTP-Dispatcher", "wechat-sandbox-http");

    /** One run: each side's latencies and calls per second, and each party's CPU time while it ran. */
    record Run(
            int callers,
            Histogram direct,
            Histogram gateway,
            double directRate,
            double gatewayRate,
            long sidecarCpuNanos,
            long sandboxCpuNanos) {

        Row latency(int calls, double percentile, long addedMicros) {
            double d = direct.getValueAtPercentile(percentile) / 1000.0;
            double g = gateway.getValueAtPercentile(percentile) / 1000.0;
            return new Row(
                    "gateway: user/info via the gateway, " + callers + (callers == 1 ? " caller, " : " callers, ")
                            + Sizes.count(calls * callers) + " calls, p" + (int) percentile,
                    "µs",
                    g,
                    d,
                    "the same call straight to the sandbox",
                    "≤ direct + " + (addedMicros >= 1000 ? addedMicros / 1000 + " ms" : addedMicros + " µs"),
                    Row.Verdict.of(g <= d + addedMicros / 1.0));
        }

        Row throughput() {
            return new Row(
                    "gateway: throughput via the gateway, " + callers + (callers == 1 ? " caller" : " callers"),
                    "calls/s",
                    gatewayRate,
                    directRate,
                    "straight to the sandbox",
                    "—",
                    Row.Verdict.INFO);
        }

        /** The sidecar's CPU per gateway call against the sandbox's per call (it served both sides). */
        Row cpu() {
            return new Row(
                    "gateway: CPU per call in the sidecar's threads, " + callers
                            + (callers == 1 ? " caller" : " callers"),
                    "µs",
                    sidecarCpuNanos / 1000.0 / gateway.getTotalCount(),
                    sandboxCpuNanos / 1000.0 / (direct.getTotalCount() + gateway.getTotalCount()),
                    "the sandbox's CPU per call",
                    "—",
                    Row.Verdict.INFO);
        }
    }

    private GatewayLatency() {}

    /**
     * {@code callers} threads, each on its own two connections, alternating blocks of {@value #BLOCK} direct and
     * gateway calls.
     */
    static Run run(
            URI direct, URI gateway, String directPath, String gatewayPath, String header, int callers, int calls) {
        Histogram directNanos = new Histogram(HIGHEST_NANOS, 3);
        Histogram gatewayNanos = new Histogram(HIGHEST_NANOS, 3);
        long[] busy = new long[2];
        long sidecarBefore = cpuNanos(SIDECAR_THREADS);
        long sandboxBefore = cpuNanos(SANDBOX_THREADS);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                running.add(pool.submit(() -> {
                    Histogram d = new Histogram(HIGHEST_NANOS, 3);
                    Histogram g = new Histogram(HIGHEST_NANOS, 3);
                    long directBusy = 0;
                    long gatewayBusy = 0;
                    try (LoopbackClient toDirect = LoopbackClient.http(direct, directPath, "");
                            LoopbackClient toGateway = LoopbackClient.http(gateway, gatewayPath, header)) {
                        for (int done = 0; done < calls; done += BLOCK) {
                            long b0 = System.nanoTime();
                            for (int i = 0; i < BLOCK; i++) {
                                long t0 = System.nanoTime();
                                toDirect.call();
                                d.recordValue(System.nanoTime() - t0);
                            }
                            long b1 = System.nanoTime();
                            for (int i = 0; i < BLOCK; i++) {
                                long t0 = System.nanoTime();
                                toGateway.call();
                                g.recordValue(System.nanoTime() - t0);
                            }
                            long b2 = System.nanoTime();
                            directBusy += b1 - b0;
                            gatewayBusy += b2 - b1;
                        }
                    }
                    synchronized (busy) {
                        directNanos.add(d);
                        gatewayNanos.add(g);
                        busy[0] = Math.max(busy[0], directBusy);
                        busy[1] = Math.max(busy[1], gatewayBusy);
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get(10, TimeUnit.MINUTES);
            }
        } catch (Exception e) {
            throw new IllegalStateException("the gateway latency run failed: " + e, e);
        } finally {
            pool.shutdownNow();
        }
        // Calls per second of each side while it ran: all callers' calls over the slowest caller's busy time.
        return new Run(
                callers,
                directNanos,
                gatewayNanos,
                directNanos.getTotalCount() / (busy[0] / 1e9),
                gatewayNanos.getTotalCount() / (busy[1] / 1e9),
                cpuNanos(SIDECAR_THREADS) - sidecarBefore,
                cpuNanos(SANDBOX_THREADS) - sandboxBefore);
    }

    /** CPU time of the live threads whose names start with one of {@code prefixes}. */
    private static long cpuNanos(List<String> prefixes) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            String name = thread.getName();
            if (prefixes.stream().anyMatch(name::startsWith)) {
                total += Math.max(0, threads.getThreadCpuTime(thread.getId()));
            }
        }
        return total;
    }
}
