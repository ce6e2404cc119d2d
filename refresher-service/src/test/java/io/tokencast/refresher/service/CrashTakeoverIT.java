package io.tokencast.refresher.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tokencast.refresher.leader.Leadership;
import io.tokencast.refresher.service.testing.RunningRefreshers;
import io.tokencast.refresher.service.testing.TestRefresher;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.testkit.LocalInfrastructure;
import io.tokencast.testkit.wechat.SandboxSettings;
import io.tokencast.testkit.wechat.WeChatSandbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The leader crashes: replica A runs in a child JVM and is killed with SIGKILL, so no shutdown hook releases
 * its lock. Replica B (in this JVM) must take over once the lock expires and refresh every token in time,
 * on the real clock against a sandbox whose tokens live 60 s.
 */
class CrashTakeoverIT {

    private static final Duration TICK = Duration.ofMillis(200);
    private static final Duration LOCK_AT_MOST_FOR = Duration.ofSeconds(3);
    /** A few ticks of slack over the lock's expiry: B contends once per tick. */
    private static final Duration TAKEOVER_LIMIT = LOCK_AT_MOST_FOR.plus(TICK.multipliedBy(5));

    private static final LogCapture LOGS = LogCapture.get();

    /** Where this test's log lines begin. */
    private final int logMark = LOGS.mark();

    private final WeChatSandbox sandbox = WeChatSandbox.start(
            Clock.systemUTC(),
            // The refresher never publishes a token with 30 s or less left; 60 s leaves room for that.
            SandboxSettings.builder()
                    .tokenLifetime(Duration.ofSeconds(60))
                    .overlap(Duration.ofSeconds(10))
                    .build());
    private final List<TestApp> apps = TestApp.many(0xc4a5, 5);
    private final TestRefresher refresher = TestRefresher.named("crash", Clock.systemUTC())
            .sandbox(sandbox)
            .tick(TICK)
            .property("tokencast.refresh.lock-at-most-for", LOCK_AT_MOST_FOR.toSeconds() + "s");
    private final String tokensTopic = refresher.tokensTopic();
    private final String keyPrefix = refresher.keyPrefix();
    private final Topics topics = new Topics(LocalInfrastructure.shared().kafkaBootstrapServers());
    private final SharedRedis redis = SharedRedis.connect();
    private final RunningRefreshers inProcess = new RunningRefreshers(refresher);
    private final Path childLog =
            Path.of("target", LocalInfrastructure.uniqueName("crash-takeover-replica-a") + ".log");
    private Process replicaA;

    @RegisterExtension
    final TestWatcher childLogOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            System.out.println(
                    "---- replica-a (child JVM) log tail, " + childLog.toAbsolutePath() + "\n" + childLogTail(80));
        }
    };

    CrashTakeoverIT() {
        apps.forEach(app -> sandbox.registerApp(app.appid(), app.secret()));
        apps.forEach(app -> refresher.wechatApp(app.appid(), app.secret(), app.api()));
    }

    @AfterEach
    void stopEverything() {
        try {
            if (replicaA != null) {
                replicaA.destroyForcibly();
            }
            inProcess.close();
        } finally {
            sandbox.close();
            redis.close();
        }
    }

    @Test
    void anotherReplicaTakesOverAndRefreshesEveryTokenWhenTheLeaderIsKilled() throws Exception {
        replicaA = startChildReplica("replica-a");
        await("replica-a leads and published v1 of every app")
                .atMost(Duration.ofSeconds(45))
                .pollInterval(Duration.ofMillis(250))
                .failFast("replica-a exited", () -> !replicaA.isAlive())
                .until(() -> "replica-a".equals(leaderInRedis().orElse(null)) && allPublishedBy(1, "replica-a"));
        assertOneFetchPerVersion(1);

        inProcess.start("replica-b");
        Leadership replicaB = inProcess.context("replica-b").getBean(Leadership.class);
        await("replica-b runs as a follower")
                .during(TICK.multipliedBy(3))
                .atMost(Duration.ofSeconds(5))
                .until(() -> !replicaB.isLeader()
                        && "replica-a".equals(leaderInRedis().orElse(null)));

        replicaA.destroyForcibly();
        assertThat(replicaA.waitFor(10, TimeUnit.SECONDS))
                .as("replica-a killed")
                .isTrue();
        long killed = System.nanoTime();
        await("replica-b leads")
                .atMost(TAKEOVER_LIMIT)
                .pollInterval(Duration.ofMillis(20))
                .until(replicaB::isLeader);
        Duration takeover = Duration.ofNanos(System.nanoTime() - killed);
        System.out.printf(
                "CrashTakeoverIT: replica-b took over %d ms after replica-a was killed (lockAtMostFor=%s, tick=%s)%n",
                takeover.toMillis(), LOCK_AT_MOST_FOR, TICK);
        assertThat(leaderInRedis()).contains("replica-b");
        assertLatestTokensWork();

        await("replica-b published v2 of every app")
                .atMost(Duration.ofSeconds(75))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    assertLatestTokensWork();
                    return allPublishedBy(2, "replica-b");
                });
        assertOneFetchPerVersion(2);
        assertLatestTokensWork();
        List<TokenRefreshed> tokens = topics.tokens(tokensTopic);
        for (TestApp app : apps) {
            assertThat(Topics.versions(tokens, app.key())).as(app.appid()).containsExactly(1L, 2L);
        }
        assertNoSecretsLogged(tokens);
    }

    private Process startChildReplica(String instanceId) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                RefresherApplication.class.getName()));
        refresher.properties(instanceId).forEach(p -> command.add("--" + p));
        Files.createDirectories(childLog.getParent());
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(childLog.toFile())
                .start();
    }

    private Optional<String> leaderInRedis() {
        return Optional.ofNullable(redis.template().opsForValue().get(keyPrefix + "leader"));
    }

    /** Whether every app's newest version on the topic is {@code version}, published by {@code refresher}. */
    private boolean allPublishedBy(long version, String refresher) {
        Map<TokenKey, TokenRefreshed> latest = topics.latest(tokensTopic);
        return apps.stream().allMatch(app -> {
            TokenRefreshed token = latest.get(app.key());
            return token != null
                    && token.version() == version
                    && token.refresher().equals(refresher);
        });
    }

    /** The sandbox accepts every app's newest published token right now. */
    private void assertLatestTokensWork() {
        Map<TokenKey, TokenRefreshed> latest = topics.latest(tokensTopic);
        for (TestApp app : apps) {
            TokenRefreshed token = latest.get(app.key());
            assertThat(token).as("published token of %s", app).isNotNull();
            assertThat(sandbox.checkToken(token.token()))
                    .as("checkToken with %s v%d", app, token.version())
                    .isZero();
        }
    }

    /** Every app fetched exactly once per version, and still so a few ticks later. */
    private void assertOneFetchPerVersion(long versions) {
        await().during(TICK.multipliedBy(4)).atMost(Duration.ofSeconds(10)).until(() -> apps.stream()
                .allMatch(app -> sandbox.calls(app.appid(), app.endpoint()) == versions));
    }

    private void assertNoSecretsLogged(List<TokenRefreshed> tokens) throws IOException {
        List<String> secrets = new ArrayList<>();
        apps.forEach(app -> secrets.add(app.secret()));
        tokens.forEach(t -> secrets.add(t.token()));
        String child = Files.readString(childLog, StandardCharsets.UTF_8);
        List<String> lines = LOGS.linesSince(logMark);
        assertThat(child).as("replica-a log").contains("leadership acquired");
        for (String secret : secrets) {
            assertThat(child).as("replica-a log").doesNotContain(secret);
            assertThat(lines).as("log lines").noneMatch(line -> line.contains(secret));
        }
    }

    private String childLogTail(int lines) {
        try {
            List<String> all = Files.readAllLines(childLog, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e + ")";
        }
    }
}
