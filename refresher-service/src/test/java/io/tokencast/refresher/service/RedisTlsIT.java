package io.tokencast.refresher.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tokencast.testkit.RedisServerProcess;
import io.tokencast.testkit.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The refresher reaches Redis over TLS (docs/security.md §10): {@code spring.data.redis.url=rediss://…}, the
 * server's certificate issued by a CA made for this test and trusted through a PEM SSL bundle. The Redis has no
 * plaintext port at all, so every command the refresher runs went over TLS.
 */
class RedisTlsIT {

    private final TestCertificates certificates = TestCertificates.createAuthority();
    private final RedisServerProcess redis = RedisServerProcess.startTls(certificates);
    private final RefresherCluster cluster = new RefresherCluster(
            redis.url(),
            TestApp.many(0x7152, 3),
            Map.of(
                    "spring.data.redis.ssl.bundle",
                    "redis",
                    "spring.ssl.bundle.pem.redis.truststore.certificate",
                    "file:" + certificates.caCertificate()));

    @AfterEach
    void stop() {
        try {
            cluster.closeAfterCheckingNoSecretsLeaked();
        } finally {
            redis.close();
        }
    }

    @Test
    void refreshesEveryAppOverARedissUrl() throws IOException {
        assertThat(redis.url()).startsWith("rediss://");

        cluster.start("tls-replica");

        await("every app refreshed and stored over TLS")
                .atMost(Duration.ofSeconds(30))
                .until(() -> cluster.latest().size() == cluster.apps.size());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> cluster.stored().values().stream().allMatch(s -> s.version() == 1));
        // and the port speaks nothing but TLS: a plaintext PING gets no PONG
        assertThat(plaintextPing()).doesNotContain("PONG");
    }

    private String plaintextPing() throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(redis.host(), redis.port()), 2_000);
            socket.setSoTimeout(2_000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = new byte[64];
            int read;
            try {
                read = in.read(reply);
            } catch (IOException e) {
                return e.toString(); // reset by a server that expected a TLS handshake
            }
            return read < 0 ? "" : new String(reply, 0, read, StandardCharsets.US_ASCII);
        }
    }
}
