package io.tokencast.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.testkit.signing.TestRefresherKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Python example of docs/consumer-contract.md, run as written against a live sidecar. */
class ConsumerContractExampleIT {

    static final Path DOC = Path.of("").toAbsolutePath().getParent().resolve("docs/consumer-contract.md");

    @TempDir
    Path dir;

    @Test
    void thePythonSidecarExampleReadsTheTokenAndLongPolls() throws Exception {
        Path script = dir.resolve("sidecar_client.py");
        Files.writeString(script, pythonBlock("# example: sidecar_client.py"));
        try (Topics topics = Topics.create("sidecar-example");
                Sidecar sidecar = Sidecar.start(SidecarConfig.defaults(Topics.bootstrapServers())
                        .withRefresherKeys(TestRefresherKey.shared().publicJwkSetFile())
                        .withTopics(topics.tokens, topics.reports))) {
            Instant now = Instant.now();
            TokenRefreshed event = topics.publish(
                    TokenKey.parse("wechat-access-token/wxpythonexample01"),
                    1,
                    "tok-python-1",
                    now,
                    now.plus(Duration.ofHours(2)),
                    now.plus(Duration.ofMinutes(90)));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> sidecar.view().find(event.tokenKey()).isPresent());

            Process python = new ProcessBuilder(
                            "python3",
                            script.toString(),
                            sidecar.url().toString(),
                            "wechat-access-token/wxpythonexample01")
                    .redirectErrorStream(true)
                    .start();
            assertThat(python.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(python.exitValue()).as(output).isZero();
            assertThat(output)
                    .contains("key=wechat-access-token/wxpythonexample01 version=1 fingerprint=" + event.fingerprint()
                            + " state=FRESH")
                    .contains("after the poll version=1")
                    .doesNotContain("tok-python-1");
        }
    }

    static String pythonBlock(String firstLine) throws IOException {
        String doc = Files.readString(DOC);
        int start = doc.indexOf("```python\n" + firstLine);
        assertThat(start)
                .as("a ```python block starting with " + firstLine + " in " + DOC)
                .isNotNegative();
        int from = start + "```python\n".length();
        return doc.substring(from, doc.indexOf("\n```", from) + 1);
    }
}
