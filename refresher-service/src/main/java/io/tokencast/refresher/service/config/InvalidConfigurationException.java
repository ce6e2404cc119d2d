package io.tokencast.refresher.service.config;

import java.util.List;

/**
 * The {@code tokencast.*} properties are wrong. The message lists every problem, one per line, each
 * starting with the property path; no secret value is ever printed.
 */
public class InvalidConfigurationException extends RuntimeException {

    private final List<String> problems;

    public InvalidConfigurationException(List<String> problems) {
        super(describe(problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem as {@code <property path>: <what is wrong>}. */
    public List<String> problems() {
        return problems;
    }

    private static String describe(List<String> problems) {
        StringBuilder out = new StringBuilder("tokencast configuration has ")
                .append(problems.size())
                .append(problems.size() == 1 ? " problem:" : " problems:");
        problems.forEach(p -> out.append(System.lineSeparator()).append("  ").append(p));
        return out.toString();
    }
}
