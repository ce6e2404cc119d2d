package io.tokencast.benchmarks;

import java.util.Objects;

/**
 * One line of the results table. {@code ratio} is always tokencast ÷ anchor, so below 1 tokencast is
 * faster (or smaller); it is NaN where a metric has no anchor.
 *
 * @param unit of {@code tokencast} and {@code anchor}, e.g. {@code ns/op}
 * @param anchor what users would do otherwise, measured in the same run; NaN where there is none
 */
record Row(
        String metric,
        String unit,
        double tokencast,
        double anchor,
        String anchorName,
        String target,
        Verdict verdict) {

    /** Whether a row met its target; {@code INFO} rows have none. */
    enum Verdict {
        PASS,
        FAIL,
        INFO;

        static Verdict of(boolean met) {
            return met ? PASS : FAIL;
        }
    }

    Row {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(anchorName, "anchorName");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(verdict, "verdict");
    }

    double ratio() {
        return Double.isNaN(anchor) || anchor == 0 ? Double.NaN : tokencast / anchor;
    }
}
