package io.tokencast.testkit;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code redis-server} child process on a free loopback port, persisting nothing. It never touches a
 * Redis already running on 6379. A test that needs Redis to go away and come back uses {@link #stop()}
 * and {@link #restart()}: the port stays the same, the data is gone (as after a crash without AOF). Started
 * with {@link #startTls}, it speaks TLS only, on that one port, with a certificate from a CA made for the test.
 */
public final class RedisServerProcess implements RedisServer {

    private static final Logger log = LoggerFactory.getLogger(RedisServerProcess.class);
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(15);

    private final String binary;
    private final Path dir;
    private final int port;
    private final TestCertificates.PemFiles tls;
    private final SSLSocketFactory tlsClient;
    private Process process;

    private RedisServerProcess(
            String binary, Path dir, int port, TestCertificates.PemFiles tls, SSLSocketFactory tlsClient) {
        this.binary = binary;
        this.dir = dir;
        this.port = port;
        this.tls = tls;
        this.tlsClient = tlsClient;
    }

    /** Starts a fresh server on a free port. */
    public static RedisServerProcess start() {
        return start(null, null);
    }

    /**
     * Starts a fresh server that speaks TLS only (no plaintext port), with a server certificate for 127.0.0.1
     * issued by {@code certificates}' CA; clients need no certificate of their own. Its {@link #url()} is
     * {@code rediss://}; a client trusts {@link TestCertificates#caCertificate()}.
     */
    public static RedisServerProcess startTls(TestCertificates certificates) {
        return start(certificates.issueServerPem("redis"), trusting(certificates));
    }

    private static RedisServerProcess start(TestCertificates.PemFiles tls, SSLSocketFactory tlsClient) {
        String binary = findBinary();
        try {
            Path dir = Files.createTempDirectory("tokencast-redis-");
            RedisServerProcess server = new RedisServerProcess(binary, dir, ChildProcesses.freePort(), tls, tlsClient);
            server.launch();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "redis-server-" + server.port + "-stop"));
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("could not prepare a directory for redis-server", e);
        }
    }

    /** Whether a {@code redis-server} binary can be found. */
    public static boolean isAvailable() {
        return locate() != null;
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int port() {
        return port;
    }

    /** {@code rediss://host:port} when the server speaks TLS, else {@code redis://host:port}. */
    @Override
    public String url() {
        return (tls == null ? "redis://" : "rediss://") + host() + ":" + port;
    }

    /** Whether the process is running. */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Kills the server (SIGKILL), losing its data. */
    public synchronized void stop() {
        if (process != null) {
            ChildProcesses.kill(process);
            process = null;
        }
    }

    /** Starts the server again on the same port, empty. */
    public synchronized void restart() {
        stop();
        launch();
    }

    @Override
    public void close() {
        stop();
    }

    private synchronized void launch() {
        List<String> command = new ArrayList<>(List.of(binary));
        if (tls == null) {
            command.addAll(List.of("--port", Integer.toString(port)));
        } else {
            command.addAll(List.of(
                    "--port",
                    "0",
                    "--tls-port",
                    Integer.toString(port),
                    "--tls-cert-file",
                    tls.certificate().toString(),
                    "--tls-key-file",
                    tls.privateKey().toString(),
                    "--tls-ca-cert-file",
                    tls.caCertificate().toString(),
                    "--tls-auth-clients",
                    "no"));
        }
        command.addAll(List.of(
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--protected-mode",
                "no",
                "--loglevel",
                "warning",
                "--dir",
                dir.toString()));
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("could not start " + binary, e);
        }
        awaitPong();
        log.info("redis-server started port={} pid={} dir={}", port, process.pid(), dir);
    }

    private void awaitPong() {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited at start on port " + port + ": " + logTail());
            }
            if (ping()) {
                return;
            }
            try {
                // Polling a child process for readiness: no event to wait on.
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for redis-server", e);
            }
        }
        throw new IllegalStateException("redis-server did not answer PING on port " + port + " within "
                + STARTUP_TIMEOUT.toSeconds() + " s: " + logTail());
    }

    private boolean ping() {
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress("127.0.0.1", port), 200);
            plain.setSoTimeout(500);
            Socket socket = tlsClient == null ? plain : tlsClient.createSocket(plain, "127.0.0.1", port, true);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String reply = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            return "+PONG".equals(reply);
        } catch (IOException e) {
            return false;
        }
    }

    private static SSLSocketFactory trusting(TestCertificates certificates) {
        try (InputStream in = Files.newInputStream(certificates.trustStore())) {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(in, certificates.password().toCharArray());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("could not load the test CA's trust store", e);
        }
    }

    private String logTail() {
        return ChildProcesses.logTail(dir.resolve("redis.log"), 5);
    }

    private static String findBinary() {
        String binary = locate();
        if (binary == null) {
            throw new IllegalStateException("redis-server was not found on PATH (nor in TOKENCAST_REDIS_SERVER). "
                    + "Install it, e.g. `apt-get install -y redis-server`, or run where Docker is available.");
        }
        return binary;
    }

    private static String locate() {
        String explicit = System.getenv("TOKENCAST_REDIS_SERVER");
        if (explicit != null && new File(explicit).canExecute()) {
            return explicit;
        }
        String path =
                System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin:/usr/local/bin:/usr/sbin";
        for (String entry : path.split(File.pathSeparator)) {
            File candidate = new File(entry, "redis-server");
            if (candidate.canExecute()) {
                return candidate.getAbsolutePath();
            }
        }
        return null;
    }
}
