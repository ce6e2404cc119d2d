package io.tokencast.wxjava;

import io.tokencast.consumer.TokenView;
import io.tokencast.refresher.RefresherApplication;
import io.tokencast.testkit.LocalInfrastructure;
import io.tokencast.testkit.MutableClock;
import io.tokencast.testkit.signing.TestRefresherKey;
import io.tokencast.testkit.wechat.WeChatSandbox;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What the WxJava adapter runs against in an integration test: the WeChat sandbox and a real refresher (a
 * Spring Boot context in this JVM) on one virtual clock, the testkit's shared Kafka and Redis with topics and
 * key prefixes of its own, and token views that read what the refresher publishes.
 */
public final class TokencastRig implements AutoCloseable {

    /** One refresher key for every refresher started here: they read back what each other signed. */
    private static final java.nio.file.Path SIGNING_KEY =
            TestRefresherKey.shared().privateJwkSetFile();

    static final Instant START = Instant.parse("2026-03-02T01:00:00Z");

    public final MutableClock clock = new MutableClock(START);
    public final WeChatSandbox sandbox = WeChatSandbox.start(clock);
    private final String tokensTopic = LocalInfrastructure.uniqueName("wxjava-tokens");
    private final List<String> credentials = new ArrayList<>();
    private int apps;
    private final List<TokenView> views = new ArrayList<>();
    private final Set<String> published = ConcurrentHashMap.newKeySet();
    private final HttpClient http = HttpClient.newHttpClient();
    private ConfigurableApplicationContext refresher;

    /** A credential for the refresher: {@code kind/account} with its secret and, for WeChat apps, the api. */
    public TokencastRig credential(String kind, String account, String secret, String api) {
        int i = apps++;
        credentials.add("tokencast.apps[" + i + "].kind=" + kind);
        credentials.add("tokencast.apps[" + i + "].account=" + account);
        credentials.add("tokencast.apps[" + i + "].secret=" + secret);
        credentials.add("tokencast.apps[" + i + "].api=" + api);
        return this;
    }

    /** An extra refresher property, {@code name=value}. */
    public TokencastRig property(String property) {
        credentials.add(property);
        return this;
    }

    /** Where the refresher receives a component's pushed verify tickets. */
    public URI callbackUrl(String componentAppid) {
        String port = refresher.getEnvironment().getProperty("local.server.port");
        return URI.create("http://127.0.0.1:" + port + "/wechat/open-platform/" + componentAppid + "/callback");
    }

    /** Starts the refresher with the credentials given so far. */
    public TokencastRig startRefresher() {
        String kafka = LocalInfrastructure.shared().kafkaBootstrapServers();
        List<String> properties = new ArrayList<>(List.of(
                "server.port=0",
                "management.server.port=0",
                "spring.main.banner-mode=off",
                "spring.kafka.bootstrap-servers=" + kafka,
                "spring.data.redis.url=" + LocalInfrastructure.shared().redisUrl(),
                "tokencast.instance-id=wxjava-refresher",
                "tokencast.topics.tokens=" + tokensTopic,
                "tokencast.topics.audit=" + tokensTopic + "-audit",
                "tokencast.topics.admin=" + adminTopic(),
                "tokencast.topics.reports=" + reportsTopic(),
                "tokencast.topics.credentials=" + tokensTopic + "-credentials",
                "tokencast.redis.key-prefix=" + LocalInfrastructure.uniqueName("wxjava") + ":",
                "tokencast.admin.group-id=" + LocalInfrastructure.uniqueName("wxjava-refresher"),
                "tokencast.wechat.api-base-url=" + sandbox.url(),
                "tokencast.wechat.allow-insecure-base-url=true",
                "tokencast.wecom.api-base-url=" + sandbox.url(),
                "tokencast.wecom.allow-insecure-base-url=true",
                "tokencast.refresh.tick=100ms",
                "tokencast.consumer.enabled=false",
                "tokencast.signing.key-file=" + SIGNING_KEY));
        properties.addAll(credentials);
        // As command-line arguments: they outrank the application.yml inside the refresher's jar.
        refresher = new SpringApplicationBuilder(RefresherApplication.class)
                .initializers(ctx -> ctx.getBeanFactory().registerSingleton("testClock", clock))
                .run(properties.stream().map(p -> "--" + p).toArray(String[]::new));
        return this;
    }

    public String tokensTopic() {
        return tokensTopic;
    }

    public String adminTopic() {
        return tokensTopic + "-admin";
    }

    public String reportsTopic() {
        return tokensTopic + "-reports";
    }

    /** A started, ready token view over the refresher's topic, as one service instance would embed it. */
    public TokenView view(String clientId) {
        TokenView view = TokenView.builder()
                .bootstrapServers(LocalInfrastructure.shared().kafkaBootstrapServers())
                .topic(tokensTopic)
                .reportsTopic(reportsTopic())
                .refresherKeys(TestRefresherKey.shared().verificationKeys())
                .clientId(clientId)
                .clock(clock)
                .refreshTimeout(Duration.ofSeconds(20))
                .build();
        view.addListener(token -> published.add(token.fingerprint()));
        view.start();
        synchronized (views) {
            views.add(view);
        }
        view.awaitReady(Duration.ofSeconds(30));
        return view;
    }

    /** The fingerprint of every token version the refresher published, as the rig's views saw them. */
    public Set<String> published() {
        return Set.copyOf(published);
    }

    /** A third party with the AppSecret fetches a classic token at WeChat, behind tokencast's back. */
    public void fetchBehindTokencastsBack(String appid, String secret) {
        URI uri = URI.create(
                sandbox.url() + "/cgi-bin/token?grant_type=client_credential&appid=" + appid + "&secret=" + secret);
        try {
            HttpResponse<String> response =
                    http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
            if (!response.body().contains("access_token")) {
                throw new IllegalStateException("the third party's fetch failed: " + response.statusCode());
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        synchronized (views) {
            views.forEach(TokenView::close);
        }
        if (refresher != null) {
            refresher.close();
        }
        sandbox.close();
    }
}
