package io.tokencast.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tokencast.testkit.signing.TestRefresherKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The image recipe, the systemd unit and the example configuration, checked without Docker or systemd:
 * parsed, cross-checked against the code's defaults, and their health checks run against a live sidecar.
 */
class PackagingIT {

    static final Path MODULE = Path.of("").toAbsolutePath();
    static final Path ROOT = MODULE.getParent();

    @Test
    void theImageRunsTheJarAsNonRootOnTheDefaultPortAndItsHealthCheckWorks() throws Exception {
        List<String[]> instructions = dockerInstructions(ROOT.resolve("Dockerfile.sidecar"));
        List<String[]> finalStage = finalStage(instructions);
        SidecarConfig defaults = ConfigLoader.fromProperties(Map.of(
                "tokencast.sidecar.bootstrap-servers", "k:1", "tokencast.sidecar.signature-verification", "false"));

        assertThat(value(finalStage, "USER")).isEqualTo("10001");
        assertThat(value(finalStage, "EXPOSE")).isEqualTo(Integer.toString(defaults.port()));
        assertThat(value(finalStage, "ENTRYPOINT")).contains("\"-jar\", \"tokencast-sidecar.jar\"");
        assertThat(instructions)
                .as("the build stage packages the sidecar module and its lib/")
                .anyMatch(i -> i[0].equals("RUN") && i[1].contains("-pl tokencast-sidecar -am package"));
        List<String> healthcheck = execForm(value(finalStage, "HEALTHCHECK"));
        assertThat(healthcheck).contains("io.tokencast.sidecar.SidecarMain");
        String probe = healthcheck.get(healthcheck.size() - 1);
        assertThat(probe).startsWith("--probe=http://127.0.0.1:" + defaults.port() + "/health/ready");

        try (Topics topics = Topics.create("sidecar-packaging");
                Sidecar sidecar = Sidecar.start(SidecarConfig.defaults(Topics.bootstrapServers())
                        .withRefresherKeys(TestRefresherKey.shared().publicJwkSetFile())
                        .withTopics(topics.tokens, topics.reports))) {
            String url = probe.substring("--probe=".length())
                    .replace(":" + defaults.port() + "/", ":" + sidecar.url().getPort() + "/");
            await().atMost(Duration.ofSeconds(30)).until(() -> HealthProbe.probe(url) == 0);
            sidecar.close();
            assertThat(HealthProbe.probe(url)).isEqualTo(1);
        }
    }

    @Test
    void theSystemdUnitStartsTheJarUnprivilegedAndStopsItGracefully() throws IOException {
        Map<String, List<String>> service = iniSection(MODULE.resolve("src/dist/tokencast-sidecar.service"), "Service");
        SidecarConfig defaults = ConfigLoader.fromProperties(Map.of(
                "tokencast.sidecar.bootstrap-servers", "k:1", "tokencast.sidecar.signature-verification", "false"));

        assertThat(service.get("ExecStart"))
                .singleElement()
                .asString()
                .contains("-jar")
                .contains("tokencast-sidecar.jar");
        assertThat(service.get("User")).singleElement().isNotEqualTo("root");
        assertThat(service.get("KillSignal")).containsExactly("SIGTERM");
        long stopSeconds = Long.parseLong(service.get("TimeoutStopSec").get(0));
        assertThat(stopSeconds).isGreaterThan(defaults.shutdownTimeout().toSeconds());
        assertThat(service.get("NoNewPrivileges")).containsExactly("true");
        assertThat(service.get("Environment")).singleElement().asString().contains("TOKENCAST_SIDECAR_CONFIG=");
        assertThat(service).doesNotContainKey("ExecStartPost"); // with Type=simple it would race the start
    }

    @Test
    void theExampleConfigurationIsValid() {
        SidecarConfig config =
                ConfigLoader.fromProperties(SettingSources.readFile(MODULE.resolve("src/dist/sidecar.yml")));

        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.wecomAgents()).hasSize(2);
        assertThat(config.kafka()).containsKey("security.protocol");
    }

    static List<String[]> dockerInstructions(Path file) throws IOException {
        List<String[]> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(file)) {
            if (current.isEmpty() && (line.isBlank() || line.startsWith("#"))) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            String text = current.toString().strip();
            int space = text.indexOf(' ');
            out.add(new String[] {
                text.substring(0, space), text.substring(space + 1).strip()
            });
            current.setLength(0);
        }
        return out;
    }

    static List<String[]> finalStage(List<String[]> instructions) {
        int from = 0;
        for (int i = 0; i < instructions.size(); i++) {
            if (instructions.get(i)[0].equals("FROM")) {
                from = i;
            }
        }
        return instructions.subList(from, instructions.size());
    }

    static String value(List<String[]> instructions, String name) {
        return instructions.stream()
                .filter(i -> i[0].equals(name))
                .map(i -> i[1])
                .reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no " + name + " instruction"));
    }

    static List<String> execForm(String healthcheck) {
        String json = healthcheck.substring(healthcheck.indexOf("CMD ") + 4).strip();
        List<String> out = new ArrayList<>();
        JsonMapper.builder().build().readTree(json).forEach(n -> out.add(n.asString()));
        return out;
    }

    static Map<String, List<String>> iniSection(Path file, String section) throws IOException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        String currentSection = null;
        for (String raw : Files.readAllLines(file)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[")) {
                currentSection = line.substring(1, line.length() - 1);
            } else if (section.equals(currentSection)) {
                int eq = line.indexOf('=');
                out.computeIfAbsent(line.substring(0, eq), k -> new ArrayList<>())
                        .add(line.substring(eq + 1));
            }
        }
        return out;
    }
}
