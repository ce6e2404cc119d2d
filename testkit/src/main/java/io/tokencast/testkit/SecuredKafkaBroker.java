package io.tokencast.testkit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * A KRaft broker in a child JVM that authenticates and authorizes, the way a production cluster should
 * (docs/security.md, "Access control"): a {@code SASL_SSL} listener with SCRAM-SHA-512 users, an {@code SSL}
 * listener that requires a client certificate (mutual TLS; the principal is the certificate's CN), both with a
 * server certificate from a CA made at start, and Kafka's {@code StandardAuthorizer} denying whatever no ACL
 * allows.
 *
 * <p>A third listener, {@code PLAINTEXT} on loopback, is the test's own setup door: its anonymous principal is a
 * super user, so the test can create users, ACLs and topics. Clients under test never use it.
 */
public final class SecuredKafkaBroker implements AutoCloseable {

    private static final String SCRAM = "SCRAM-SHA-512";

    private final KafkaBrokerProcess broker;
    private final TestCertificates certificates;
    private final int saslPort;
    private final int tlsPort;
    private final Map<String, String> passwords = new ConcurrentHashMap<>();

    private SecuredKafkaBroker(KafkaBrokerProcess broker, TestCertificates certificates, int saslPort, int tlsPort) {
        this.broker = broker;
        this.certificates = certificates;
        this.saslPort = saslPort;
        this.tlsPort = tlsPort;
    }

    /** Makes a CA and a server certificate, then starts the broker; returns once it answers. */
    public static SecuredKafkaBroker start() {
        TestCertificates certificates = TestCertificates.createAuthority();
        Path serverStore = certificates.issueServer("kafka-broker");
        int saslPort = ChildProcesses.freePort();
        int tlsPort = ChildProcesses.freePort();
        Map<String, String> security = new HashMap<>();
        security.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        // The setup door and the controller connect as ANONYMOUS over PLAINTEXT on loopback.
        security.put("super.users", "User:ANONYMOUS");
        security.put("allow.everyone.if.no.acl.found", "false");
        security.put("sasl.enabled.mechanisms", SCRAM);
        security.put(
                "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        security.put("ssl.keystore.location", serverStore.toString());
        security.put("ssl.keystore.password", certificates.password());
        security.put("ssl.key.password", certificates.password());
        security.put("ssl.keystore.type", "PKCS12");
        security.put("ssl.truststore.location", certificates.trustStore().toString());
        security.put("ssl.truststore.password", certificates.password());
        security.put("ssl.truststore.type", "PKCS12");
        security.put("listener.name.ssl.ssl.client.auth", "required");
        // User:<CN> rather than User:CN=<CN>, as an operator would configure it
        security.put("ssl.principal.mapping.rules", "RULE:^CN=([^,]+)$/$1/,DEFAULT");
        KafkaBrokerProcess broker = KafkaBrokerProcess.start(
                ChildProcesses.freePort(),
                List.of(
                        new KafkaBrokerProcess.Listener("SASL_SSL", "SASL_SSL", saslPort),
                        new KafkaBrokerProcess.Listener("SSL", "SSL", tlsPort)),
                dir -> security);
        return new SecuredKafkaBroker(broker, certificates, saslPort, tlsPort);
    }

    /** The SASL_SSL listener (SCRAM-SHA-512 over TLS). */
    public String saslBootstrapServers() {
        return "127.0.0.1:" + saslPort;
    }

    /** The SSL listener that requires a client certificate. */
    public String tlsBootstrapServers() {
        return "127.0.0.1:" + tlsPort;
    }

    /** The CA the broker's certificate comes from, for clients' trust stores. */
    public TestCertificates certificates() {
        return certificates;
    }

    /**
     * Creates the SCRAM-SHA-512 user {@code name} (once) and returns the client properties that log in as it on
     * the SASL_SSL listener, bootstrap servers included.
     */
    public Map<String, Object> scramClient(String name) {
        String password = passwords.computeIfAbsent(name, this::createScramUser);
        Map<String, Object> client = trusting(saslBootstrapServers());
        client.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
        client.put(SaslConfigs.SASL_MECHANISM, SCRAM);
        client.put(
                SaslConfigs.SASL_JAAS_CONFIG,
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + name + "\" password=\""
                        + password + "\";");
        return client;
    }

    /**
     * Issues a client certificate with {@code CN=<commonName>} and returns the client properties that present it
     * on the mutual-TLS listener, bootstrap servers included. The principal is {@code User:<commonName>}.
     */
    public Map<String, Object> tlsClient(String commonName) {
        Path store = certificates.issueClient(commonName);
        Map<String, Object> client = trusting(tlsBootstrapServers());
        client.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL");
        client.put(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, store.toString());
        client.put(SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, certificates.password());
        client.put(SslConfigs.SSL_KEY_PASSWORD_CONFIG, certificates.password());
        client.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PKCS12");
        return client;
    }

    /** Allows {@code User:<principal>} the operations on the resource; waits until the broker applies it. */
    public void allow(
            String principal, ResourceType type, String name, PatternType pattern, AclOperation... operations) {
        List<AclBinding> bindings = java.util.Arrays.stream(operations)
                .map(operation -> new AclBinding(
                        new ResourcePattern(type, name, pattern),
                        new AccessControlEntry("User:" + principal, "*", operation, AclPermissionType.ALLOW)))
                .toList();
        try (Admin admin = setupAdmin()) {
            admin.createAcls(bindings).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw failure("could not create ACLs for " + principal, e);
        }
    }

    /** An Admin client on the setup door (a super user): for the test's setup and checks only. */
    public Admin setupAdmin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    @Override
    public void close() {
        broker.close();
    }

    private Map<String, Object> trusting(String bootstrapServers) {
        Map<String, Object> client = new HashMap<>();
        client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        client.put(
                SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG,
                certificates.trustStore().toString());
        client.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, certificates.password());
        client.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
        return client;
    }

    private String createScramUser(String name) {
        String password = UUID.randomUUID().toString();
        try (Admin admin = setupAdmin()) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(
                            name, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            // The credential travels through the metadata log; wait until the broker knows it.
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!knows(admin, name)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the broker did not learn SCRAM user " + name + " in 30 s");
                }
            }
            return password;
        } catch (Exception e) {
            throw failure("could not create SCRAM user " + name, e);
        }
    }

    private static boolean knows(Admin admin, String user) throws Exception {
        try {
            return !admin.describeUserScramCredentials(List.of(user))
                    .description(user)
                    .get(10, TimeUnit.SECONDS)
                    .credentialInfos()
                    .isEmpty();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ResourceNotFoundException) {
                return false;
            }
            throw e;
        }
    }

    private static IllegalStateException failure(String what, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return new IllegalStateException(what + ": " + cause, cause);
    }
}
