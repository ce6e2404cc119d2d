package io.tokencast.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The image build copies the repository into the build stage; .dockerignore keeps local build output and
 * history out of that context without hiding anything the in-container Maven build needs.
 */
class DockerIgnoreTest {

    private static final Path ROOT = Path.of("..");

    @Test
    void keepsBuildOutputAndHistoryOutOfTheBuildContext() throws IOException {
        assertThat(patterns()).contains(".git", "**/target", "**/node_modules");
    }

    @Test
    void hidesNothingTheImageBuildNeeds() throws IOException {
        List<String> patterns = patterns();
        // The Dockerfile runs ./mvnw over the reactor: the wrapper, .mvn, the parent pom and every module.
        assertThat(patterns).doesNotContain("mvnw", ".mvn", "pom.xml", "*.xml", "**/src", "*");
        try (var entries = Files.list(ROOT)) {
            entries.filter(path -> Files.exists(path.resolve("pom.xml")))
                    .map(path -> path.getFileName().toString())
                    .forEach(module -> assertThat(patterns)
                            .as("module %s reaches the image build", module)
                            .doesNotContain(module, "/" + module, module + "/"));
        }
    }

    private static List<String> patterns() throws IOException {
        return Files.readAllLines(ROOT.resolve(".dockerignore")).stream()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .toList();
    }
}
