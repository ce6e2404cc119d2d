package io.tokencast.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs the demo the way a newcomer does, as its own process, with tokens short-lived enough to see every
 * app refreshed on schedule and the consumer follow.
 */
class DemoIT {

    private static final List<String> APPS = List.of("wxdemo0000000001", "wxdemo0000000002", "wxdemo0000000003");

    @Test
    void demoShowsBothRefreshersScheduledRefreshesOfEveryAppAndTheConsumerFollowing() throws Exception {
        Path output = Files.createTempFile("tokencast-demo", ".log");
        Process demo = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        DemoMain.class.getName(),
                        "--token-lifetime",
                        "40",
                        "--duration",
                        "75")
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        boolean ended = demo.waitFor(4, TimeUnit.MINUTES);
        if (!ended) {
            demo.destroyForcibly();
        }
        String log = read(output);

        assertThat(ended).as("demo ended by itself; output:%n%s", log).isTrue();
        assertThat(demo.exitValue()).as("exit code; output:%n%s", log).isZero();
        assertThat(log).contains("refresher-1  up:", "refresher-2  up:", "is the leader", "stopped cleanly");
        assertThat(log).containsPattern("operator console http://localhost:\\d+/console/ .*login demo / [0-9a-f]{12}");
        for (String app : APPS) {
            assertThat(log)
                    .as("scheduled refresh of %s", app)
                    .containsPattern(
                            "REFRESHED wechat-access-token/" + app + " v\\d+ sha256:[0-9a-f]{16} reason=SCHEDULED");
            assertThat(log).as("consumer got v2 of %s", app).contains("now holds wechat-access-token/" + app + " v2");
        }
        assertThat(log).doesNotContain("sandbox-only-secret");
    }

    private static String read(Path output) throws IOException {
        return Files.readString(output);
    }
}
