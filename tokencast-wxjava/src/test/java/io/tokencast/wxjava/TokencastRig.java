package io.tokencast.wxjava;

import io.tokencast.consumer.TokenView;
import io.tokencast.refresher.service.testing.TestRefresher;
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
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What the WxJava adapter runs against in an integration test: the WeChat sandbox and a real refresher (a
 * Spring Boot context in this JVM) on one virtual clock, the testkit's shared Kafka and Redis with topics and
 * key prefixes of its own, and token views that read what the refresher publishes.
 */
public final class TokencastRig implements AutoCloseable {

    static final Instant START = Instant.parse("2026-03-02T01:00:00Z");

    public final MutableClock clock = new MutableClock(START);
    public final WeChatSandbox sandbox = WeChatSandbox.start(clock);
    private final TestRefresher recipe = TestRefresher.named("wxjava", clock).sandbox(sandbox);
    private final List<TokenView> views = new ArrayList<>();
    private final Set<String> published = ConcurrentHashMap.newKeySet();
    private final HttpClient http = HttpClient.newHttpClient();
    private ConfigurableApplicationContext refresher;

    /** A credential for the refresher: {@code kind/account} with its secret and, for WeChat apps, the api. */
    public TokencastRig credential(String kind, String account, String secret, String api) {
        recipe.credential(kind, account, secret, api);
        return this;
    }

    /** An extra refresher property, {@code name=value}. */
    public TokencastRig property(String property) {
        recipe.properties(List.of(property));
        return this;
    }

    /** Where the refresher receives a component's pushed verify tickets. */
    public URI callbackUrl(String componentAppid) {
        String port = refresher.getEnvironment().getProperty("local.server.port");
        return URI.create("http://127.0.0.1:" + port + "/wechat/open-platform/" + componentAppid + "/callback");
    }

    /** Starts the refresher with the credentials given so far. */
    public TokencastRig startRefresher() {
        refresher = recipe.start("wxjava-refresher");
        return this;
    }

    public String tokensTopic() {
        return recipe.tokensTopic();
    }

    public String adminTopic() {
        return recipe.adminTopic();
    }

    public String reportsTopic() {
        return recipe.reportsTopic();
    }

    /** A started, ready token view over the refresher's topic, as one service instance would embed it. */
    public TokenView view(String clientId) {
        TokenView view = TokenView.builder()
                .bootstrapServers(LocalInfrastructure.shared().kafkaBootstrapServers())
                .topic(tokensTopic())
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
