package io.tokencast.sidecar;

/**
 * Runs a sidecar until the process is told to stop: {@code java -jar tokencast-sidecar.jar --config=sidecar.yml}.
 * A configuration error exits with status 2 and one line naming every problem. {@code --probe=URL} is the
 * container health check instead: exit 0 when the URL answers 200.
 */
public final class SidecarMain {

    private SidecarMain() {}

    public static void main(String[] args) {
        // The jar names its logging configuration so that embedding it (benchmarks, tests) brings none along;
        // -Dlogback.configurationFile still overrides it.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "tokencast-sidecar-logback.xml");
        }
        if (args.length == 1 && args[0].startsWith("--probe=")) {
            System.exit(HealthProbe.probe(args[0].substring("--probe=".length())));
            return;
        }
        SidecarConfig config;
        try {
            config = ConfigLoader.load(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("tokencast-sidecar: configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        Sidecar sidecar = Sidecar.start(config);
        // SIGTERM (systemd stop, docker stop) runs the hook: a graceful shutdown within shutdown-timeout.
        Runtime.getRuntime().addShutdownHook(new Thread(sidecar::close, "tokencast-sidecar-shutdown"));
    }
}
