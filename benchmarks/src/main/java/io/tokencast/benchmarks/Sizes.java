package io.tokencast.benchmarks;

import java.time.Duration;

/**
 * How big each benchmark runs. {@link #defaults()} fits in a few minutes, {@link #full()} is the size the
 * README reports, {@link #smoke()} only proves the benchmarks still run.
 *
 * @param readKeys tokens held by the view (and by Redis) in the read-path benchmark
 * @param jmhForks 0 runs JMH inside this JVM (smoke only: no fork, less isolation)
 * @param readRounds rounds of the read-path variant comparison: each round reads the plaintext, encrypted and
 *     signed views in turn, one fresh JVM each, and the rows compare the medians
 * @param views token views (and raw consumers) in the propagation benchmark
 * @param propagationEvents measured refreshes, after {@code propagationWarmup} unmeasured ones
 * @param coldKeys keys on the compacted topic in the cold-start benchmark
 * @param coldRepeats timed reads of each kind; the median is reported
 * @param scaleApps apps in the policy-level refresh-scale benchmark, half stable, half classic
 * @param refresherApps apps under the real refresher (Redis, Kafka, HTTP) in the refresh-scale benchmark
 * @param scaleSpan virtual time the refresh-scale benchmark covers
 */
record Sizes(
        int readKeys,
        int jmhForks,
        int readRounds,
        int jmhWarmupIterations,
        Duration jmhWarmupTime,
        int jmhMeasurementIterations,
        Duration jmhMeasurementTime,
        int views,
        int propagationWarmup,
        int propagationEvents,
        int coldKeys,
        int coldRepeats,
        int scaleApps,
        int refresherApps,
        Duration scaleSpan) {

    static Sizes defaults() {
        return new Sizes(
                10_000,
                1,
                3,
                2,
                Duration.ofSeconds(1),
                3,
                Duration.ofSeconds(1),
                50,
                50,
                300,
                20_000,
                3,
                1_000,
                200,
                Duration.ofHours(24));
    }

    static Sizes full() {
        return new Sizes(
                10_000,
                // Three forks: one fork's heap layout moves a 10k-key read by up to 2× (seen here: 99 and 245 ns
                // for the same code in two runs), more than the 5 % the variant rows compare.
                3,
                5,
                5,
                Duration.ofSeconds(1),
                5,
                Duration.ofSeconds(2),
                50,
                100,
                1_000,
                100_000,
                5,
                100_000,
                1_000,
                Duration.ofHours(24));
    }

    /** Tiny sizes for the test suite: proves every benchmark still runs, measures nothing worth reading. */
    static Sizes smoke() {
        return new Sizes(
                100,
                0,
                1,
                1,
                Duration.ofMillis(100),
                1,
                Duration.ofMillis(200),
                3,
                5,
                20,
                1_000,
                1,
                50,
                10,
                Duration.ofHours(24));
    }

    Sizes withScaleApps(int apps) {
        if (apps < 2) {
            throw new IllegalArgumentException("the refresh-scale benchmark needs at least 2 apps, got " + apps);
        }
        return new Sizes(
                readKeys,
                jmhForks,
                readRounds,
                jmhWarmupIterations,
                jmhWarmupTime,
                jmhMeasurementIterations,
                jmhMeasurementTime,
                views,
                propagationWarmup,
                propagationEvents,
                coldKeys,
                coldRepeats,
                apps,
                refresherApps,
                scaleSpan);
    }

    /** A count for a row's label: {@code 100}, {@code 10k}. */
    static String count(int n) {
        return n >= 1000 && n % 1000 == 0 ? n / 1000 + "k" : Integer.toString(n);
    }
}
