package io.tokencast.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A certificate authority made at test time with the JDK's {@code keytool}, and the PKCS#12 key stores it
 * issues: a server's (with a subject alternative name for 127.0.0.1) and clients' (for mutual TLS), or a
 * server's as PEM files for servers built on OpenSSL (redis-server). Nothing here is trusted outside the test
 * that made it; every store shares one random password.
 */
public final class TestCertificates {

    private static final String CA = "ca";

    private final Path dir;
    private final String password = UUID.randomUUID().toString();

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    /** A new CA in a new directory, and a trust store holding its certificate. */
    public static TestCertificates createAuthority() {
        try {
            TestCertificates certificates = new TestCertificates(Files.createTempDirectory("tokencast-ca-"));
            certificates.keytool(
                    "-genkeypair",
                    "-alias",
                    CA,
                    "-dname",
                    "CN=tokencast test CA",
                    "-keyalg",
                    "EC",
                    "-groupname",
                    "secp256r1",
                    "-validity",
                    "2",
                    "-ext",
                    "bc:c",
                    "-keystore",
                    certificates.store(CA).toString(),
                    "-storetype",
                    "PKCS12");
            certificates.keytool(
                    "-exportcert",
                    "-rfc",
                    "-alias",
                    CA,
                    "-keystore",
                    certificates.store(CA).toString(),
                    "-file",
                    certificates.caCertificate().toString());
            certificates.keytool(
                    "-importcert",
                    "-noprompt",
                    "-alias",
                    CA,
                    "-file",
                    certificates.caCertificate().toString(),
                    "-keystore",
                    certificates.trustStore().toString(),
                    "-storetype",
                    "PKCS12");
            return certificates;
        } catch (IOException e) {
            throw new IllegalStateException("could not make a directory for the test CA", e);
        }
    }

    /** The password of every store made here. */
    public String password() {
        return password;
    }

    /** The CA's certificate, PEM. */
    public Path caCertificate() {
        return dir.resolve("ca.pem");
    }

    /** A PKCS#12 trust store holding the CA's certificate. */
    public Path trustStore() {
        return dir.resolve("truststore.p12");
    }

    /** A key store for a server at 127.0.0.1 / localhost, issued by the CA. */
    public Path issueServer(String name) {
        return issue(name, "CN=" + name, "san=ip:127.0.0.1,dns:localhost");
    }

    /**
     * A server's certificate and private key at 127.0.0.1 / localhost as PEM files, the form OpenSSL-based servers
     * read ({@code redis-server --tls-cert-file/--tls-key-file}): the key unencrypted PKCS#8, readable by its
     * owner only.
     */
    public PemFiles issueServerPem(String name) {
        Path store = issueServer(name);
        Path key = dir.resolve(name + ".key.pem");
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(in, password.toCharArray());
            Key privateKey = keys.getKey(name, password.toCharArray());
            String pem = "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(privateKey.getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
            Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(key, pem, StandardCharsets.US_ASCII);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("could not export the private key of " + name + " as PEM", e);
        }
        return new PemFiles(dir.resolve(name + ".pem"), key, caCertificate());
    }

    /**
     * A server's TLS material as PEM files.
     *
     * @param certificate its certificate, issued by the CA
     * @param privateKey its private key, unencrypted PKCS#8
     * @param caCertificate the CA's certificate, which clients trust
     */
    public record PemFiles(Path certificate, Path privateKey, Path caCertificate) {}

    /** A key store for a TLS client whose certificate's subject is {@code CN=<commonName>}, issued by the CA. */
    public Path issueClient(String commonName) {
        return issue(commonName, "CN=" + commonName, null);
    }

    private Path issue(String name, String subject, String san) {
        Path store = store(name);
        Path request = dir.resolve(name + ".csr");
        Path certificate = dir.resolve(name + ".pem");
        keytool(
                "-genkeypair",
                "-alias",
                name,
                "-dname",
                subject,
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-keystore",
                store.toString(),
                "-storetype",
                "PKCS12");
        keytool("-certreq", "-alias", name, "-keystore", store.toString(), "-file", request.toString());
        List<String> sign = new ArrayList<>(List.of(
                "-gencert",
                "-alias",
                CA,
                "-keystore",
                store(CA).toString(),
                "-infile",
                request.toString(),
                "-outfile",
                certificate.toString(),
                "-rfc",
                "-validity",
                "2",
                "-ext",
                "eku=serverAuth,clientAuth"));
        if (san != null) {
            sign.addAll(List.of("-ext", san));
        }
        keytool(sign.toArray(String[]::new));
        keytool(
                "-importcert",
                "-noprompt",
                "-alias",
                CA,
                "-file",
                caCertificate().toString(),
                "-keystore",
                store.toString());
        keytool("-importcert", "-alias", name, "-file", certificate.toString(), "-keystore", store.toString());
        return store;
    }

    private Path store(String name) {
        return dir.resolve(name + ".p12");
    }

    private void keytool(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        command.addAll(List.of("-storepass", password, "-keypass", password));
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + arguments[0] + " failed: " + output.strip());
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not run keytool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running keytool", e);
        }
    }
}
