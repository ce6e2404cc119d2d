package io.tokencast.benchmarks;

/** The machine a table was measured on, for the README: cores, JDK, OS. */
final class Machine {

    private Machine() {}

    static String describe() {
        return Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.runtime.version") + ", max heap "
                + Runtime.getRuntime().maxMemory() / 1_048_576 + " MB, " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch");
    }
}
