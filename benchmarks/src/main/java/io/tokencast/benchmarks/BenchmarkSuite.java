package io.tokencast.benchmarks;

import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs every benchmark on one embedded broker and one {@code redis-server} and prints one table: metric,
 * tokencast, anchor, ratio, target, pass/fail. Small sizes by default (a few minutes); {@code --full} runs
 * the sizes the README reports.
 */
@Command(
        name = "run-benchmarks",
        mixinStandardHelpOptions = true,
        description = "Measures tokencast side by side with what users would do otherwise and prints one table.")
public final class BenchmarkSuite implements Callable<Integer> {

    /** The four benchmarks of issue 9, the sidecar's read (issue 18) and its gateway (issue 22). */
    enum Part {
        READ,
        PROPAGATION,
        COLD_START,
        REFRESH_SCALE,
        SIDECAR,
        GATEWAY
    }

    private static final Logger log = LoggerFactory.getLogger(BenchmarkSuite.class);

    @Option(
            names = "--full",
            description = "Run the full sizes (about 8 minutes on 2 cores) instead of the small defaults.")
    boolean full;

    @Option(
            names = "--only",
            split = ",",
            paramLabel = "PART",
            description = "Run only these parts: ${COMPLETION-CANDIDATES} (default: all).")
    Set<Part> only = EnumSet.allOf(Part.class);

    @Option(
            names = "--apps",
            paramLabel = "N",
            description = "Apps in the policy-level refresh-scale benchmark (overrides the size).")
    Integer apps;

    @Option(names = "--verbose", description = "Show JMH's own progress output.")
    boolean verbose;

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchmarkSuite())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .execute(args));
    }

    @Override
    public Integer call() {
        Sizes sizes = full ? Sizes.full() : Sizes.defaults();
        if (apps != null) {
            sizes = sizes.withScaleApps(apps);
        }
        long started = System.nanoTime();
        ResultTable table = run(sizes, only, verbose);
        System.out.println();
        System.out.println("tokencast benchmarks (" + (full ? "full sizes" : "small defaults; --full for the README's")
                + ") on " + Machine.describe() + ", " + (System.nanoTime() - started) / 1_000_000_000 + " s");
        System.out.println();
        System.out.print(table.render());
        return 0;
    }

    /** Runs the chosen parts at the given sizes and returns their rows, in the order of {@link Part}. */
    static ResultTable run(Sizes sizes, Set<Part> parts, boolean verbose) {
        ResultTable table = new ResultTable();
        try (Rig rig = Rig.start()) {
            if (parts.contains(Part.READ)) {
                table.addAll(timed(Part.READ, () -> ReadPath.run(rig, sizes, verbose)));
            }
            if (parts.contains(Part.PROPAGATION)) {
                table.addAll(timed(Part.PROPAGATION, () -> Propagation.run(rig, sizes)));
            }
            if (parts.contains(Part.COLD_START)) {
                table.addAll(timed(Part.COLD_START, () -> ColdStart.run(rig, sizes)));
                table.addAll(timed(Part.COLD_START, () -> SignedColdStart.run(rig, sizes)));
            }
            if (parts.contains(Part.REFRESH_SCALE)) {
                table.addAll(timed(Part.REFRESH_SCALE, () -> RefresherDay.run(rig, sizes)));
            }
            if (parts.contains(Part.SIDECAR)) {
                table.addAll(timed(Part.SIDECAR, () -> SidecarRead.run(rig, sizes)));
            }
            if (parts.contains(Part.GATEWAY)) {
                table.addAll(timed(Part.GATEWAY, () -> GatewayCall.run(rig, sizes)));
            }
        }
        // After the broker and Redis are gone: this one needs neither, and measures heap and CPU.
        if (parts.contains(Part.REFRESH_SCALE)) {
            table.addAll(timed(Part.REFRESH_SCALE, () -> PolicyDay.run(sizes)));
        }
        return table;
    }

    private static <T> T timed(Part part, Supplier<T> benchmark) {
        log.info("benchmark starting part={}", part);
        long started = System.nanoTime();
        T result = benchmark.get();
        log.info("benchmark finished part={} tookS={}", part, (System.nanoTime() - started) / 1_000_000_000);
        return result;
    }
}
