package io.tokencast.testkit;

import java.nio.file.Path;

/**
 * The child JVM behind {@link KafkaBrokerProcess}: formats the storage once with the given cluster id (a
 * restart finds it formatted and keeps it), then runs a combined KRaft broker and controller until killed.
 *
 * <p>Arguments: the {@code server.properties} file and the cluster id.
 */
public final class KafkaBrokerMain {

    private KafkaBrokerMain() {}

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: KafkaBrokerMain <server.properties> <cluster-id>");
            System.exit(2);
        }
        // A test JVM that dies without running its shutdown hooks must not leave a broker behind.
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit()
                .thenRun(() -> Runtime.getRuntime().halt(1)));
        Path properties = Path.of(args[0]);
        format(properties, args[1]);
        // kafka.Kafka installs its own shutdown hook and exits the JVM on a fatal error, which is what a
        // child process should do.
        kafka.Kafka.main(new String[] {properties.toString()});
    }

    private static void format(Path properties, String clusterId) {
        // --ignore-formatted: a restart finds the directory formatted with this cluster id and keeps its data.
        int status = kafka.tools.StorageTool.execute(
                new String[] {
                    "format", "--config", properties.toString(), "--cluster-id", clusterId, "--ignore-formatted"
                },
                System.out);
        if (status != 0) {
            System.err.println("formatting the storage failed with status " + status);
            System.exit(status);
        }
    }
}
