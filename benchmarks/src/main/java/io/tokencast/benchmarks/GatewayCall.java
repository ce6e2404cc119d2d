package io.tokencast.benchmarks;

import io.tokencast.refresher.service.RefresherApplication;
import io.tokencast.refresher.service.signing.SigningKeyFiles;
import io.tokencast.schema.TokenKey;
import io.tokencast.sidecar.GatewayConfig;
import io.tokencast.sidecar.Sidecar;
import io.tokencast.sidecar.SidecarConfig;
import io.tokencast.testkit.LocalInfrastructure;
import io.tokencast.testkit.wechat.SandboxSettings;
import io.tokencast.testkit.wechat.WeChatEndpoint;
import io.tokencast.testkit.wechat.WeChatSandbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Benchmark 6 (issue 22): the same WeChat business call ({@code GET /cgi-bin/user/info}) straight to the WeChat
 * sandbox with the token, and through the sidecar's gateway with {@code X-Tokencast-Key}, at 1 and 16 concurrent
 * callers on kept-alive loopback connections; then a storm: one behind-the-back invalidation under 200 calls/s
 * through the gateway, with a real refresher, counting failed calls and WeChat fetches. The sandbox, the
 * sidecar and the refresher share this JVM; targets: at most 0.5 ms added at p50 and 2 ms at p99; the storm
 * with 0 failed calls and 1 fetch. Information rows give the CPU the sidecar's threads spent per gateway call
 * against the sandbox's per call ({@link GatewayLatency}).
 */
final class GatewayCall {

    private static final Logger log = LoggerFactory.getLogger(GatewayCall.class);
    private static final String APP = "wxbenchgateway001";
    private static final String SECRET = "bench-gateway-app-secret";
    private static final TokenKey KEY = TokenKey.parse("wechat-access-token/" + APP);

    private GatewayCall() {}

    /** The refresher's signing key: its private half for the refresher, the public one for the gateway. */
    private static final SigningKeyFiles.Generated SIGNING = SigningKeyFiles.temporary("bench-gateway-refresher");

    static List<Row> run(Rig rig, Sizes sizes) {
        int calls = sizes.jmhForks() == 0 ? 400 : Math.max(4_000, sizes.coldKeys() / 5);
        int stormSeconds = sizes.jmhForks() == 0 ? 3 : 6;
        String tokens = rig.createTokensTopic("bench.gateway");
        String reports = tokens + "-reports";
        Path keyFile;
        try {
            keyFile = Files.createTempDirectory("tokencast-bench-gateway").resolve("handle.key");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (WeChatSandbox sandbox = WeChatSandbox.start(
                        Clock.systemUTC(),
                        SandboxSettings.builder().overlap(Duration.ofSeconds(1)).build())
                .registerApp(APP, SECRET)) {
            ConfigurableApplicationContext refresher = refresher(rig, sandbox, tokens, reports);
            try (Sidecar sidecar = Sidecar.start(SidecarConfig.defaults(rig.bootstrapServers())
                    .withRefresherKeys(SIGNING.publicFile())
                    .withTopics(tokens, reports)
                    .withGateway(GatewayConfig.towards(sandbox.url(), keyFile)))) {
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!(sidecar.isReady() && sidecar.view().find(KEY).isPresent())) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the gateway's token did not arrive within 60 s");
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                }
                String token = sidecar.view().token(KEY).value();
                String directPath = "/cgi-bin/user/info?openid=o-bench&access_token="
                        + java.net.URLEncoder.encode(token, StandardCharsets.UTF_8);
                String gatewayPath = "/cgi-bin/user/info?openid=o-bench";
                String header = "X-Tokencast-Key: " + KEY.asString() + "\r\n";

                List<Row> rows = new ArrayList<>();
                GatewayLatency.run(sandbox.url(), sidecar.url(), directPath, gatewayPath, header, 1, calls);
                GatewayLatency.Run one =
                        GatewayLatency.run(sandbox.url(), sidecar.url(), directPath, gatewayPath, header, 1, calls);
                GatewayLatency.Run many =
                        GatewayLatency.run(sandbox.url(), sidecar.url(), directPath, gatewayPath, header, 16, calls);
                log.info(
                        "gateway latency oneP50us={} oneDirectP50us={} sixteenP50us={} sixteenDirectP50us={}",
                        one.gateway().getValueAtPercentile(50) / 1000.0,
                        one.direct().getValueAtPercentile(50) / 1000.0,
                        many.gateway().getValueAtPercentile(50) / 1000.0,
                        many.direct().getValueAtPercentile(50) / 1000.0);
                rows.add(one.latency(calls, 50, 500));
                rows.add(one.latency(calls, 99, 2_000));
                rows.add(many.latency(calls, 50, 500));
                rows.add(many.latency(calls, 99, 2_000));
                rows.add(one.throughput());
                rows.add(many.throughput());
                rows.add(one.cpu());
                rows.add(many.cpu());
                rows.add(storm(sandbox, sidecar, stormSeconds));
                return rows;
            } finally {
                refresher.close();
            }
        }
    }

    /**
     * 200 calls/s through the gateway; a third party fetches at WeChat a third of the way in, so the fleet's
     * token dies a second later (the sandbox's overlap). Passes with 0 failed calls and 1 refresher fetch.
     */
    private static Row storm(WeChatSandbox sandbox, Sidecar sidecar, int seconds) {
        long issuedBefore = sandbox.tokensIssued(APP, WeChatEndpoint.TOKEN);
        int rate = 200;
        int callers = 16;
        int total = rate * seconds;
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger sent = new AtomicInteger();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        long periodNanos = 1_000_000_000L / rate;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                int caller = c;
                running.add(pool.submit(() -> {
                    try (LoopbackClient gateway = LoopbackClient.http(
                            sidecar.url(),
                            "/cgi-bin/user/info?openid=o-storm",
                            "X-Tokencast-Key: " + KEY.asString() + "\r\n")) {
                        for (int n = caller; n < total; n += callers) {
                            long due = start + n * periodNanos;
                            long wait = due - System.nanoTime();
                            if (wait > 0) {
                                LockSupport.parkNanos(wait);
                            }
                            sent.incrementAndGet();
                            try {
                                String body = new String(gateway.call(), StandardCharsets.UTF_8);
                                if (body.contains("\"errcode\"") && !body.contains("\"errcode\":0")) {
                                    failed.incrementAndGet();
                                }
                            } catch (RuntimeException e) {
                                failed.incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            LockSupport.parkNanos(start + TimeUnit.SECONDS.toNanos(seconds) / 3 - System.nanoTime());
            fetchBehindTheBack(sandbox);
            for (Future<?> f : running) {
                f.get(5, TimeUnit.MINUTES);
            }
        } catch (Exception e) {
            throw new IllegalStateException("the gateway storm failed: " + e, e);
        } finally {
            pool.shutdownNow();
        }
        // Everything issued since, less the third party's own fetch.
        long fetches = sandbox.tokensIssued(APP, WeChatEndpoint.TOKEN) - issuedBefore - 1;
        log.info("gateway storm calls={} failed={} refresherFetches={}", sent.get(), failed.get(), fetches);
        return new Row(
                "gateway: one invalidation under 200 calls/s, WeChat fetches (" + failed.get() + " of "
                        + Sizes.count(sent.get()) + " calls failed)",
                "fetches",
                fetches,
                1,
                "the one fetch an invalidation needs",
                "1 fetch, 0 failed",
                Row.Verdict.of(fetches == 1 && failed.get() == 0));
    }

    private static void fetchBehindTheBack(WeChatSandbox sandbox) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(sandbox.url() + "/cgi-bin/token?grant_type=client_credential"
                                        + "&appid=" + APP + "&secret=" + SECRET))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (!response.body().contains("access_token")) {
            throw new IllegalStateException("the third party's fetch failed: " + response.body());
        }
    }

    private static ConfigurableApplicationContext refresher(
            Rig rig, WeChatSandbox sandbox, String tokens, String reports) {
        String prefix = LocalInfrastructure.uniqueName("bench-gateway");
        return new SpringApplicationBuilder(RefresherApplication.class)
                .registerShutdownHook(false)
                .run(
                        "--server.port=0",
                        "--management.server.port=0",
                        "--spring.main.banner-mode=off",
                        "--spring.kafka.bootstrap-servers=" + rig.bootstrapServers(),
                        "--spring.data.redis.url=" + rig.redisUri(),
                        "--tokencast.instance-id=bench-gateway-refresher",
                        "--tokencast.topics.tokens=" + tokens,
                        "--tokencast.topics.audit=" + tokens + "-audit",
                        "--tokencast.topics.admin=" + tokens + "-admin",
                        "--tokencast.topics.reports=" + reports,
                        "--tokencast.topics.credentials=" + tokens + "-credentials",
                        "--tokencast.redis.key-prefix=" + prefix + ":",
                        "--tokencast.admin.group-id=" + prefix + "-group",
                        "--tokencast.admin.min-interval-per-key=1s",
                        "--tokencast.wechat.api-base-url=" + sandbox.url(),
                        "--tokencast.wechat.allow-insecure-base-url=true",
                        "--tokencast.wecom.api-base-url=" + sandbox.url(),
                        "--tokencast.wecom.allow-insecure-base-url=true",
                        "--tokencast.refresh.tick=100ms",
                        "--tokencast.consumer.enabled=false",
                        "--tokencast.apps[0].kind=wechat-access-token",
                        "--tokencast.apps[0].account=" + APP,
                        "--tokencast.apps[0].secret=" + SECRET,
                        "--tokencast.apps[0].api=classic",
                        "--tokencast.signing.key-file=" + SIGNING.privateFile());
    }
}
