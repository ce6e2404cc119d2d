package io.tokencast.demo;

import io.tokencast.refresher.leader.Leadership;
import io.tokencast.refresher.service.RefresherApplication;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Refresher replicas as separate Spring Boot application contexts in this JVM. */
final class Refreshers {

    private Refreshers() {}

    /** One running replica: its context, its id and where its actuator answers. */
    record Replica(String id, ConfigurableApplicationContext context, URI actuator, URI console) {

        boolean isRunning() {
            return context.isActive();
        }

        boolean isLeader() {
            return isRunning() && context.getBean(Leadership.class).isLeader();
        }

        Optional<String> leaderSeen() {
            return isRunning() ? context.getBean(Leadership.class).leaderId() : Optional.empty();
        }

        void kill() {
            context.close();
        }
    }

    static String[] asArguments(Map<String, ?> properties) {
        return properties.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
    }

    static Replica start(
            String id, Infrastructure infrastructure, DemoApps apps, ConsoleLogin login, DemoOperators operators) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("spring.main.banner-mode", "off");
        properties.put("spring.kafka.bootstrap-servers", infrastructure.kafka());
        properties.put("spring.data.redis.url", infrastructure.redis());
        properties.put("server.port", "0");
        properties.put("management.server.port", "0");
        properties.put("logging.level.root", "WARN");
        properties.put("logging.level.io.tokencast", "WARN");
        properties.put("tokencast.instance-id", id);
        properties.put("tokencast.wechat.api-base-url", infrastructure.sandbox().toString());
        properties.put("tokencast.wecom.api-base-url", infrastructure.sandbox().toString());
        // The sandbox speaks plain HTTP on loopback; a real deployment talks https to WeChat.
        properties.put("tokencast.wechat.allow-insecure-base-url", "true");
        properties.put("tokencast.wecom.allow-insecure-base-url", "true");
        for (int i = 0; i < apps.apps().size(); i++) {
            DemoApps.App app = apps.apps().get(i);
            properties.put("tokencast.apps[" + i + "].kind", app.key().kind().id());
            properties.put("tokencast.apps[" + i + "].account", app.appid());
            properties.put("tokencast.apps[" + i + "].secret", app.secret());
            properties.put("tokencast.apps[" + i + "].api", app.api());
        }
        properties.put("tokencast.encryption.keyring-json", infrastructure.encryptionKeyring());
        // Commands are served only when signed by a key of this set; the console signs with its own.
        properties.put("tokencast.admin.operator-keys-file", operators.operatorsSet());
        properties.put("tokencast.console.operator-key-file", operators.consoleKey());
        properties.put("tokencast.signing.key-file", infrastructure.signingKeyFile());
        properties.put("tokencast.console.users[0].name", login.user());
        properties.put("tokencast.console.users[0].password-hash", login.passwordHash());
        // The demo's consumer service puts the consumer starter on this JVM's classpath; a refresher is no consumer.
        properties.put("tokencast.consumer.enabled", "false");
        // As command-line arguments: they outrank the application.yml inside the refresher's jar.
        ConfigurableApplicationContext context = new SpringApplicationBuilder(RefresherApplication.class)
                .registerShutdownHook(false)
                .run(asArguments(properties));
        String managementPort = context.getEnvironment().getProperty("local.management.port");
        return new Replica(
                id,
                context,
                URI.create("http://localhost:" + managementPort + "/actuator"),
                URI.create("http://localhost:" + managementPort + "/console/"));
    }
}
