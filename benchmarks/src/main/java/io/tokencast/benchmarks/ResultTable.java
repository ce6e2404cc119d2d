package io.tokencast.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The suite's output: one row per metric, printed as a Markdown table so it can go into the README as is. */
final class ResultTable {

    private static final String[] HEADER = {"metric", "tokencast", "anchor", "ratio", "target", "pass/fail"};

    private final List<Row> rows = new ArrayList<>();

    void addAll(List<Row> more) {
        rows.addAll(more);
    }

    List<Row> rows() {
        return List.copyOf(rows);
    }

    String render() {
        List<String[]> lines = new ArrayList<>();
        lines.add(HEADER);
        for (Row row : rows) {
            lines.add(new String[] {
                row.metric(),
                withUnit(row.tokencast(), row.unit()),
                Double.isNaN(row.anchor())
                        ? row.anchorName()
                        : withUnit(row.anchor(), row.unit()) + " (" + row.anchorName() + ")",
                ratio(row.ratio()),
                row.target(),
                row.verdict().name().toLowerCase(Locale.ROOT)
            });
        }
        int[] widths = new int[HEADER.length];
        for (String[] line : lines) {
            for (int i = 0; i < line.length; i++) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int n = 0; n < lines.size(); n++) {
            appendLine(out, lines.get(n), widths);
            if (n == 0) {
                String[] rule = new String[HEADER.length];
                for (int i = 0; i < rule.length; i++) {
                    rule[i] = "-".repeat(widths[i]);
                }
                appendLine(out, rule, widths);
            }
        }
        return out.toString();
    }

    private static void appendLine(StringBuilder out, String[] cells, int[] widths) {
        out.append('|');
        for (int i = 0; i < cells.length; i++) {
            out.append(' ')
                    .append(cells[i])
                    .append(" ".repeat(widths[i] - cells[i].length()))
                    .append(" |");
        }
        out.append('\n');
    }

    private static String withUnit(double value, String unit) {
        return unit.isEmpty() ? number(value) : number(value) + " " + unit;
    }

    static String number(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        double abs = Math.abs(value);
        if (abs >= 100) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(Locale.ROOT, abs >= 1 ? "%.2f" : "%.3f", value);
    }

    /** tokencast ÷ anchor; far below 1 it reads better as a fraction, e.g. {@code 1/2400}. */
    static String ratio(double ratio) {
        if (Double.isNaN(ratio)) {
            return "—";
        }
        if (ratio > 0 && ratio < 0.1) {
            return String.format(Locale.ROOT, "1/%,.0f", 1 / ratio);
        }
        return String.format(Locale.ROOT, "%.2f×", ratio);
    }
}
