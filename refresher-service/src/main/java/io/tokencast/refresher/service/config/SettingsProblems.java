package io.tokencast.refresher.service.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The problems found in {@code tokencast.*} settings, each as {@code <property path>: <what is wrong>}, in the
 * order found. Each feature checks its own settings into one of these, with the common rules below, and the
 * refresher's {@code ConfigurationCheck} composes them, so an operator fixes every mistake in one round. A
 * problem never holds a secret.
 */
public final class SettingsProblems {

    private final List<String> problems = new ArrayList<>();

    /** Records what is wrong with the property at {@code path}. */
    public void add(String path, String what) {
        problems.add(path + ": " + what);
    }

    /** Records problems already in the {@code <property path>: <what is wrong>} form. */
    public void addAll(List<String> more) {
        problems.addAll(more);
    }

    /** Whether the duration is positive; records a problem when it is not (or is unset). */
    public boolean positive(String path, Duration duration) {
        if (duration == null || duration.isZero() || duration.isNegative()) {
            add(path, "must be a positive duration, e.g. 10s, was " + duration);
            return false;
        }
        return true;
    }

    public void atLeastOne(String path, int value) {
        if (value < 1) {
            add(path, "must be at least 1, was " + value);
        }
    }

    public void notNegative(String path, int value) {
        if (value < 0) {
            add(path, "must be 0 or more, was " + value);
        }
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    /** The problems in the order found. */
    public List<String> list() {
        return List.copyOf(problems);
    }
}
