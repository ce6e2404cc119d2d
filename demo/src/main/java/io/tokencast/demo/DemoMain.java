package io.tokencast.demo;

import io.tokencast.demo.consumer.SampleConsumerService;
import io.tokencast.refresher.service.signing.SigningKeyFiles;
import io.tokencast.schema.DefaultTopics;
import io.tokencast.testkit.EmbeddedKafka;
import io.tokencast.testkit.RedisServerProcess;
import io.tokencast.testkit.wechat.SandboxSettings;
import io.tokencast.testkit.wechat.WeChatSandbox;
import io.tokencast.trust.encryption.EncryptionKeyring;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The one-command demo: a real Kafka, a real Redis, the WeChat sandbox with short-lived tokens, two
 * refreshers taking turns to lead, and a consumer service using the starter — narrated live.
 */
@Command(
        name = "run-demo",
        mixinStandardHelpOptions = true,
        description = "Runs tokencast end to end on this machine: Kafka, Redis, the WeChat sandbox, two "
                + "refreshers and a consumer service. Ctrl-C stops everything.")
public final class DemoMain implements Callable<Integer> {

    @Option(names = "--duration", description = "Stop by itself after this many seconds (default: run until Ctrl-C).")
    Long durationSeconds;

    @Option(
            names = "--token-lifetime",
            defaultValue = "180",
            description =
                    "Seconds a sandbox token lives (WeChat: 7200; default ${DEFAULT-VALUE}, so you see refreshes).")
    long tokenLifetimeSeconds;

    @Option(
            names = "--kill-leader-after",
            description = "Close the leading refresher after this many seconds, to watch the other take over.")
    Long killLeaderAfterSeconds;

    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private final CountDownLatch stopped = new CountDownLatch(1);

    public static void main(String[] args) {
        System.exit(new CommandLine(new DemoMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Thread hook = new Thread(this::shutdown, "demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            run();
        } finally {
            shutdown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // Ctrl-C: the hook is running shutdown() already
            }
        }
        Console.say("demo", "stopped cleanly");
        return 0;
    }

    private void run() throws InterruptedException {
        if (tokenLifetimeSeconds < 40) {
            // tokens with 30 s or less left are never published (they would die in consumers' hands)
            throw new CommandLine.ParameterException(
                    new CommandLine(this), "--token-lifetime must be at least 40 seconds, was " + tokenLifetimeSeconds);
        }
        if (!RedisServerProcess.isAvailable()) {
            Console.say(
                    "demo",
                    "redis-server is not installed. Install it (Debian/Ubuntu: "
                            + "sudo apt-get install -y redis-server; macOS: brew install redis) and run the demo again.");
            throw new CommandLine.ExecutionException(new CommandLine(this), "redis-server missing");
        }
        Console.say("demo", "starting Kafka (embedded KRaft, one node)...");
        EmbeddedKafka kafka = keep(quietly(EmbeddedKafka::start));
        Console.say("kafka", "ready at " + kafka.bootstrapServers());

        Console.say("demo", "starting Redis (redis-server child process)...");
        RedisServerProcess redis = keep(RedisServerProcess.start());
        Console.say("redis", "ready at " + redis.url());

        DemoApps apps = DemoApps.standard();
        Duration lifetime = Duration.ofSeconds(tokenLifetimeSeconds);
        // WeChat's 300 s overlap scaled to the shortened lifetime, never below 10 s
        Duration overlap = Duration.ofSeconds(Math.max(10, tokenLifetimeSeconds * 300 / 7200));
        WeChatSandbox sandbox = keep(WeChatSandbox.start(
                Clock.systemUTC(),
                SandboxSettings.builder()
                        .tokenLifetime(lifetime)
                        .overlap(overlap)
                        .build()));
        apps.apps().forEach(app -> sandbox.registerApp(app.appid(), app.secret()));
        Console.say(
                "sandbox",
                "WeChat sandbox at " + sandbox.url() + ", tokens live " + lifetime.toSeconds() + " s, overlap "
                        + overlap.toSeconds() + " s");
        apps.apps().forEach(app -> Console.say("sandbox", "app " + app.key() + " (" + app.api() + ")"));

        // Encrypted by default (docs/security.md §5): one fresh key for this run, shared by the refreshers and
        // the consumer service; it dies with the demo.
        EncryptionKeyring keyring = EncryptionKeyring.generate("demo-" + UUID.randomUUID(), List.of("*"));
        Console.say(
                "demo",
                "tokens are encrypted (JWE dir/A256GCM) under kid "
                        + keyring.kids().iterator().next());
        // Signed by default (docs/security.md §4): a fresh refresher key for this run, in a temporary directory.
        SigningKeyFiles.Generated signingKey = SigningKeyFiles.temporary("demo-refresher-" + UUID.randomUUID());
        Console.say("demo", "records are signed (JWS EdDSA) under kid " + signingKey.kid());
        Infrastructure infrastructure = new Infrastructure(
                kafka.bootstrapServers(),
                redis.url(),
                sandbox.url(),
                keyring.toJson(),
                signingKey.privateFile(),
                signingKey.publicFile());
        List<Refreshers.Replica> replicas = new ArrayList<>();
        ConsoleLogin login = ConsoleLogin.fresh();
        DemoOperators operators = DemoOperators.fresh();
        for (String id : List.of("refresher-1", "refresher-2")) {
            Console.say("demo", "starting " + id + "...");
            Refreshers.Replica replica = Refreshers.start(id, infrastructure, apps, login, operators);
            keep(replica.context());
            replicas.add(replica);
            Console.say(
                    id, "up: health " + replica.actuator() + "/health, metrics " + replica.actuator() + "/prometheus");
        }
        Console.say(
                "console",
                "operator console " + replicas.get(0).console() + " (any replica serves it) login " + login.user()
                        + " / " + login.password() + "; its refresh button signs as operator '"
                        + DemoOperators.CONSOLE + "' for you");
        Console.say(
                "operator",
                "your operator key (refreshers trust it as '" + DemoOperators.YOU + "'): " + operators.yourKey()
                        + "; try (after ./mvnw -q -pl cli -am package -DskipTests): java -jar cli/target/tokencast-cli.jar"
                        + " refresh " + apps.apps().get(0).key()
                        + " --wait 30s -b " + kafka.bootstrapServers() + " --operator-key " + operators.yourKey());
        keep(new LeaderWatch(replicas));
        keep(new AuditTail(kafka.bootstrapServers(), DefaultTopics.AUDIT));

        Console.say("demo", "starting the consumer service (token-consumer-lib starter)...");
        SampleConsumerService.narrateTo(Console::say);
        ConfigurableApplicationContext consumer = new SpringApplicationBuilder(SampleConsumerService.class)
                .registerShutdownHook(false)
                .run(Refreshers.asArguments(withKeyring(
                        SampleConsumerService.properties(
                                kafka.bootstrapServers(),
                                redis.url(),
                                DefaultTopics.TOKENS,
                                sandbox.url(),
                                signingKey.publicFile()),
                        keyring)));
        keep(consumer);
        Console.say("consumer", "ready; it never calls WeChat for tokens, it reads them from Kafka");

        waitForTheEnd(replicas);
    }

    private void waitForTheEnd(List<Refreshers.Replica> replicas) throws InterruptedException {
        long started = System.nanoTime();
        boolean killed = false;
        while (true) {
            long elapsed = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
            if (durationSeconds != null && elapsed >= durationSeconds) {
                Console.say("demo", durationSeconds + " s are up; stopping");
                return;
            }
            if (!killed && killLeaderAfterSeconds != null && elapsed >= killLeaderAfterSeconds) {
                killed = true;
                replicas.stream()
                        .filter(Refreshers.Replica::isLeader)
                        .findFirst()
                        .ifPresent(leader -> {
                            Console.say("demo", "killing the leader, " + leader.id() + "; watch the other take over");
                            leader.kill();
                        });
            }
            if (stopped.await(1, TimeUnit.SECONDS)) {
                return;
            }
        }
    }

    /** Kafka's storage formatter prints to stdout itself; the narration should not drown in it. */
    private static <T> T quietly(java.util.function.Supplier<T> start) {
        java.io.PrintStream out = System.out;
        System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        try {
            return start.get();
        } finally {
            System.setOut(out);
        }
    }

    private <T extends AutoCloseable> T keep(T resource) {
        synchronized (running) {
            running.push(resource);
        }
        return resource;
    }

    /** Closes everything in reverse start order; safe to call twice (the hook and the main thread). */
    private void shutdown() {
        stopped.countDown();
        while (true) {
            AutoCloseable next;
            synchronized (running) {
                next = running.poll();
            }
            if (next == null) {
                return;
            }
            try {
                next.close();
            } catch (Exception e) {
                Console.say("demo", "while stopping: " + e.getClass().getSimpleName() + " " + e.getMessage());
            }
        }
    }

    private static Map<String, Object> withKeyring(Map<String, Object> properties, EncryptionKeyring keyring) {
        Map<String, Object> all = new HashMap<>(properties);
        all.put("tokencast.consumer.encryption.keyring-json", keyring.toJson());
        return all;
    }
}
