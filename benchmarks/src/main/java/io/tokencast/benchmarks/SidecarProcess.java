package io.tokencast.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The sidecar as it runs in production: its own JVM ({@code SidecarMain}), started from this JVM's class path
 * and stopped with SIGTERM, so it competes for the machine as Redis does and not inside the benchmark's heap.
 */
final class SidecarProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final URI url;
    private final long readyNanos;

    private SidecarProcess(Process process, Path log, URI url, long readyNanos) {
        this.process = process;
        this.log = log;
        this.url = url;
        this.readyNanos = readyNanos;
    }

    /** Starts a sidecar on {@code topic} and returns once {@code /health/ready} answers 200. */
    static SidecarProcess start(String bootstrapServers, String topic, Duration timeout) {
        int port = freePort();
        try {
            Path log = Files.createTempFile("tokencast-sidecar-bench", ".log");
            long started = System.nanoTime();
            Process process = new ProcessBuilder(List.of(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-Xmx256m",
                            "-cp",
                            System.getProperty("java.class.path"),
                            "io.tokencast.sidecar.SidecarMain",
                            "--tokencast.sidecar.bootstrap-servers=" + bootstrapServers,
                            "--tokencast.sidecar.topic=" + topic,
                            "--tokencast.sidecar.report-topic=" + topic + "-reports",
                            // The suite's sidecar topic holds unsigned tokens: this measures HTTP, not signatures.
                            "--tokencast.sidecar.signature-verification=false",
                            "--tokencast.sidecar.port=" + port))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            URI url = URI.create("http://127.0.0.1:" + port);
            long deadline = started + timeout.toNanos();
            while (!ready(port)) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IllegalStateException("the sidecar process did not become ready within " + timeout
                            + "; its log: " + Files.readString(log, StandardCharsets.UTF_8));
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            return new SidecarProcess(process, log, url, System.nanoTime() - started);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the sidecar process", e);
        }
    }

    URI url() {
        return url;
    }

    /** The CPU time all the process's threads have used so far (clock-tick granularity, 10 ms on Linux). */
    Duration cpu() {
        return process.toHandle()
                .info()
                .totalCpuDuration()
                .orElseThrow(() -> new IllegalStateException("this OS does not report a process's CPU time"));
    }

    /** From the process's start to the first 200 of {@code /health/ready}. */
    Duration startToReady() {
        return Duration.ofNanos(readyNanos);
    }

    private static boolean ready(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            socket.setSoTimeout(1_000);
            socket.getOutputStream()
                    .write("GET /health/ready HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
            byte[] status = socket.getInputStream().readNBytes(12);
            return new String(status, StandardCharsets.US_ASCII).equals("HTTP/1.1 200");
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGTERM, the sidecar's graceful shutdown, bounded; then the log file goes. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            Files.deleteIfExists(log);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
