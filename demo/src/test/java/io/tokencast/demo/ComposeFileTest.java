package io.tokencast.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.sun.net.httpserver.HttpServer;
import io.tokencast.refresher.service.config.TokencastProperties;
import io.tokencast.refresher.service.encryption.EncryptionProperties;
import io.tokencast.refresher.service.signing.SigningProperties;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * docker-compose.yml cannot be run here (no Docker engine), so it is checked the two ways that catch real
 * mistakes: against the Compose Specification's JSON Schema, and by binding every TOKENCAST_* and SPRING_*
 * variable it sets to the refresher's actual properties, failing on any that binds to nothing.
 */
class ComposeFileTest {

    private static final Path COMPOSE_FILE = Path.of("..", "docker-compose.yml");

    @Test
    void composeFileIsValidAgainstTheComposeSpecification() throws IOException {
        String json = JsonMapper.shared().writeValueAsString(loadCompose());
        JsonNode spec;
        try (InputStream in = getClass().getResourceAsStream("/compose-spec/compose-spec.json")) {
            spec = JsonMapper.shared().readTree(in);
        }
        // The published schema still carries draft-04 "id" labels, which 2019-09 validators reject as
        // unknown keywords; they name sub-schemas and take no part in validation.
        dropIdLabels(spec);
        Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2019_09)
                .getSchema(spec);

        List<Error> errors = schema.validate(json, InputFormat.JSON);

        assertThat(errors).isEmpty();
        // and the schema does catch a typo, so the check above can fail
        String broken = json.replace("\"healthcheck\"", "\"healthchek\"");
        assertThat(schema.validate(broken, InputFormat.JSON)).isNotEmpty();
    }

    @Test
    void everyRefresherVariableBindsToARealProperty() throws IOException {
        Map<String, Map<String, Object>> services = services(loadCompose());
        List<String> refreshers = services.keySet().stream()
                .filter(name -> name.startsWith("refresher"))
                .toList();
        assertThat(refreshers).hasSize(2);

        for (String name : refreshers) {
            Map<String, Object> variables = new TreeMap<>(environment(services.get(name)));
            assertThat(variables).containsKeys("SPRING_KAFKA_BOOTSTRAPSERVERS", "SPRING_DATA_REDIS_URL");

            // The encryption and signing properties are records of their own (tokencast.encryption.*,
            // tokencast.signing.*), bound strictly below.
            Map<String, Object> encryptionVariables = new TreeMap<>(variables);
            encryptionVariables.keySet().removeIf(key -> !key.startsWith("TOKENCAST_ENCRYPTION_"));
            variables.keySet().removeAll(encryptionVariables.keySet());
            Map<String, Object> signingVariables = new TreeMap<>(variables);
            signingVariables.keySet().removeIf(key -> !key.startsWith("TOKENCAST_SIGNING_"));
            variables.keySet().removeAll(signingVariables.keySet());
            Binder binder = binderOver(variables);
            // NoUnboundElements fails on any variable under the prefix that no property consumes.
            TokencastProperties tokencast = binder.bind("tokencast", Bindable.of(TokencastProperties.class), strict())
                    .get();
            EncryptionProperties encryption = binderOver(encryptionVariables)
                    .bind("tokencast.encryption", Bindable.of(EncryptionProperties.class), strict())
                    .get();
            assertThat(encryption.keyring())
                    .as("encryption is on in the compose demo")
                    .isNotBlank();
            SigningProperties signing = binderOver(signingVariables)
                    .bind("tokencast.signing", Bindable.of(SigningProperties.class), strict())
                    .get();
            assertThat(signing.enabled())
                    .as("signing is on in the compose demo")
                    .isTrue();
            assertThat(signing.keyFile())
                    .as("the key the signing-key service writes")
                    .hasToString("/keys/signing/compose-refresher.private.jwks.json");
            binder.bind("spring.kafka", Bindable.of(KafkaProperties.class), strict());
            binder.bind("spring.data.redis", Bindable.of(DataRedisProperties.class), strict());

            assertThat(tokencast.instanceId()).isEqualTo(name);
            assertThat(tokencast.apps()).hasSize(3).allSatisfy(app -> assertThat(app.secret())
                    .isNotBlank());
            assertThat(variables.keySet())
                    .allMatch(key -> key.startsWith("TOKENCAST_")
                            || key.startsWith("SPRING_KAFKA_")
                            || key.startsWith("SPRING_DATA_REDIS_")
                            || key.equals("JAVA_TOOL_OPTIONS"));
        }
    }

    /**
     * The refreshers' healthcheck, run as written (bash and its /dev/tcp) against a server that answers the way
     * the readiness group does: healthy on 200, unhealthy on the 503 a not-ready replica answers, whose body
     * still holds "UP" members (the old {@code grep -q UP} passed on it).
     */
    @Test
    void theHealthcheckPassesOnlyWhenTheReplicaIsReady() throws Exception {
        @SuppressWarnings("unchecked")
        List<String> test = (List<String>) ((Map<String, Object>)
                        services(loadCompose()).get("refresher-1").get("healthcheck"))
                .get("test");
        assertThat(test.subList(0, 3)).containsExactly("CMD", "bash", "-c");
        String command = test.get(3);
        assertThat(command).contains("/dev/tcp/127.0.0.1/8081").contains("/actuator/health/readiness");

        assertThat(runHealthcheck(command, 200, "{\"status\":\"UP\"}")).isZero();
        assertThat(runHealthcheck(
                        command,
                        503,
                        "{\"status\":\"OUT_OF_SERVICE\",\"components\":{\"readinessState\":{\"status\":\"UP\"}}}"))
                .isNotZero();
    }

    private static int runHealthcheck(String command, int status, String body) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        List<String> paths = new java.util.concurrent.CopyOnWriteArrayList<>();
        server.createContext("/", exchange -> {
            paths.add(exchange.getRequestURI().getPath());
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        try {
            String local = command.replace(
                    "/dev/tcp/127.0.0.1/8081",
                    "/dev/tcp/127.0.0.1/" + server.getAddress().getPort());
            Process process = new ProcessBuilder("bash", "-c", local)
                    .redirectErrorStream(true)
                    .start();
            assertThat(process.waitFor(20, TimeUnit.SECONDS))
                    .as("the healthcheck finishes")
                    .isTrue();
            assertThat(paths).containsExactly("/actuator/health/readiness");
            return process.exitValue();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void noSecretIsBakedIn() throws IOException {
        String text = Files.readString(COMPOSE_FILE);
        assertThat(text).doesNotContainPattern("(?i)secret\\s*[:=]\\s*\"?[0-9a-f]{32}");
        Map<String, Object> env = environment(services(loadCompose()).get("refresher-1"));
        env.entrySet().stream()
                .filter(e -> e.getKey().endsWith("_SECRET"))
                .forEach(e -> assertThat(String.valueOf(e.getValue())).startsWith("sandbox-only-"));
    }

    private static void dropIdLabels(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if (object.path("id").isString()) {
                object.remove("id");
            }
            object.values().forEach(ComposeFileTest::dropIdLabels);
        } else if (node != null && node.isArray()) {
            node.values().forEach(ComposeFileTest::dropIdLabels);
        }
    }

    private static BindHandler strict() {
        return new NoUnboundElementsBindHandler(BindHandler.DEFAULT);
    }

    private static Binder binderOver(Map<String, Object> variables) {
        StandardEnvironment environment = new StandardEnvironment();
        MutablePropertySources sources = environment.getPropertySources();
        sources.remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        sources.remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        sources.addFirst(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
        return new Binder(ConfigurationPropertySources.from(sources));
    }

    private static Map<String, Object> loadCompose() throws IOException {
        // SnakeYAML resolves anchors and merge keys (<<) the way Compose does.
        try (InputStream in = Files.newInputStream(COMPOSE_FILE)) {
            Map<String, Object> compose = new Yaml().load(in);
            return interpolateDefaults(compose);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services(Map<String, Object> compose) {
        return (Map<String, Map<String, Object>>) compose.get("services");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> environment(Map<String, Object> service) {
        return (Map<String, Object>) service.get("environment");
    }

    /** Compose's ${VAR:-default} with no VAR set: what `docker compose up` would see on a clean machine. */
    @SuppressWarnings("unchecked")
    private static <T> T interpolateDefaults(T node) {
        if (node instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(k, interpolateDefaults(v)));
            return (T) copy;
        }
        if (node instanceof List<?> list) {
            return (T) list.stream().map(ComposeFileTest::interpolateDefaults).toList();
        }
        if (node instanceof String text) {
            return (T) text.replaceAll("\\$\\{[A-Z0-9_]+:-([^}]*)}", "$1");
        }
        return node;
    }
}
