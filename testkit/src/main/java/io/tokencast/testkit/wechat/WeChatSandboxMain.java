package io.tokencast.testkit.wechat;

import io.tokencast.testkit.MutableClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the WeChat sandbox as its own process for the demo and for tests not written in Java. Prints the
 * base URL as the first line on stdout, then serves until killed. Run with {@code --help} for the options.
 */
public final class WeChatSandboxMain {

    static final String USAGE =
            """
            usage: WeChatSandboxMain [options]
              --port N                      listen port, 0 = any free port (default 0)
              --host H                      bind address (default 127.0.0.1)
              --config FILE                 more options, one per line ("--app wx1:secret"; '#' comments)
              --app APPID:SECRET            an official account / mini-program app (repeatable)
              --wecom CORPID:AGENTID:SECRET a WeCom application (repeatable)
              --component APPID:SECRET:ENCODING_AES_KEY:CALLBACK_TOKEN[:CALLBACK_URL]
                                            an open-platform component (repeatable)
              --authorizer COMPONENT_APPID:AUTHORIZER_APPID:REFRESH_TOKEN  (repeatable)
              --token-lifetime SECONDS      expires_in of access tokens (default 7200)
              --overlap SECONDS             classic overlap / stable rotation window (default 300)
              --ticket-lifetime SECONDS     jsapi / wx_card ticket lifetime (default 7200)
              --push-interval SECONDS       verify-ticket push period, 0 = on demand only (default 600)
              --classic-daily-quota N       /cgi-bin/token calls per app per day (default 2000)
              --stable-force-daily-quota N  force-mode stable_token refreshes per day (default 20)
              --virtual-clock               start a clock at the current time that moves only via
                                            POST /sandbox/advance?seconds=N
            """;

    private WeChatSandboxMain() {}

    public static void main(String[] args) throws InterruptedException {
        if (List.of(args).contains("--help")) {
            System.out.print(USAGE);
            return;
        }
        WeChatSandbox sandbox = start(List.of(args));
        System.out.println(sandbox.url());
        System.out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sandbox.stop();
            stopped.countDown();
        }));
        stopped.await();
    }

    /** Starts a sandbox configured by command-line style options; the caller owns (and stops) it. */
    static WeChatSandbox start(List<String> options) {
        List<String> args = expandConfigFiles(options);
        SandboxSettings.Builder settings = SandboxSettings.builder();
        String host = "127.0.0.1";
        int port = 0;
        Clock clock = Clock.systemUTC();
        List<String[]> registrations = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String option = args.get(i);
            if (option.equals("--virtual-clock")) {
                clock = new MutableClock(Clock.systemUTC().instant());
                continue;
            }
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException("option " + option + " needs a value\n" + USAGE);
            }
            String value = args.get(++i);
            switch (option) {
                case "--port" -> port = Integer.parseInt(value);
                case "--host" -> host = value;
                case "--token-lifetime" -> settings.tokenLifetime(seconds(value));
                case "--overlap" -> settings.overlap(seconds(value));
                case "--ticket-lifetime" -> settings.ticketLifetime(seconds(value));
                case "--push-interval" -> settings.ticketPushInterval(seconds(value));
                case "--classic-daily-quota" -> settings.classicDailyQuota(Integer.parseInt(value));
                case "--stable-force-daily-quota" -> settings.stableForceDailyQuota(Integer.parseInt(value));
                case "--app", "--wecom", "--component", "--authorizer" -> registrations.add(
                        new String[] {option, value});
                default -> throw new IllegalArgumentException("unknown option " + option + "\n" + USAGE);
            }
        }
        WeChatSandbox sandbox = WeChatSandbox.start(clock, settings.build(), new InetSocketAddress(host, port));
        try {
            registrations.forEach(r -> register(sandbox, r[0], r[1]));
        } catch (RuntimeException e) {
            sandbox.stop();
            throw e;
        }
        return sandbox;
    }

    private static void register(WeChatSandbox sandbox, String option, String value) {
        switch (option) {
            case "--app" -> {
                String[] p = parts(option, value, 2, 2);
                sandbox.registerApp(p[0], p[1]);
            }
            case "--wecom" -> {
                String[] p = parts(option, value, 3, 3);
                sandbox.registerWeComApp(p[0], p[1], p[2]);
            }
            case "--component" -> {
                String[] p = parts(option, value, 4, 5);
                sandbox.registerComponent(p[0], p[1], p[2], p[3], p.length == 5 ? URI.create(p[4]) : null);
            }
            default -> {
                String[] p = parts(option, value, 3, 3);
                sandbox.registerAuthorizer(p[0], p[1], p[2]);
            }
        }
    }

    /** Splits on ':' into at most {@code max} parts, so a callback URL keeps its own colons. */
    private static String[] parts(String option, String value, int min, int max) {
        String[] p = value.split(":", max);
        if (p.length < min) {
            throw new IllegalArgumentException(
                    option + " needs " + min + " ':'-separated parts, got " + p.length + "\n" + USAGE);
        }
        return p;
    }

    private static Duration seconds(String value) {
        return Duration.ofSeconds(Long.parseLong(value));
    }

    private static List<String> expandConfigFiles(List<String> args) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--config") && i + 1 < args.size()) {
                out.addAll(readConfig(Path.of(args.get(++i))));
            } else {
                out.add(args.get(i));
            }
        }
        return out;
    }

    private static List<String> readConfig(Path file) {
        try {
            List<String> out = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                String[] kv = trimmed.split("[\\s=]+", 2);
                out.add(kv[0].startsWith("--") ? kv[0] : "--" + kv[0]);
                if (kv.length == 2) {
                    out.add(kv[1]);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read sandbox config " + file + ": " + e.getMessage(), e);
        }
    }
}
