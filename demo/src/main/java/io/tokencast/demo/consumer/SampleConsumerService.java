package io.tokencast.demo.consumer;

import io.tokencast.consumer.TokenChangeListener;
import io.tokencast.consumer.TokenView;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * What a business service looks like with tokencast: the starter gives it a {@link TokenView} bean; it
 * reads tokens from memory and uses them against WeChat (here the sandbox's getcallbackip), never fetching
 * one itself.
 */
@SpringBootApplication
public class SampleConsumerService {

    /** Where the demo's narration goes; set by the demo before the context starts. */
    static volatile BiConsumer<String, String> narrator = (who, line) -> System.out.println(who + " " + line);

    public static void narrateTo(BiConsumer<String, String> target) {
        narrator = target;
    }

    /** The starter registers listener beans before the view reads its first record. */
    @Bean
    TokenChangeListener narrateChanges() {
        return token -> narrator.accept(
                "consumer",
                "now holds " + token.key() + " v" + token.version() + " " + token.fingerprint() + " expiresAt="
                        + token.expiresAt());
    }

    @Bean
    TokenChecks tokenChecks(TokenView tokens, org.springframework.core.env.Environment environment) {
        return new TokenChecks(tokens, URI.create(environment.getRequiredProperty("demo.wechat-url")));
    }

    /** Every 20 s, uses each held token against the sandbox, the way a service calls WeChat. */
    static final class TokenChecks implements DisposableBean {

        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "demo-consumer-checks");
            thread.setDaemon(true);
            return thread;
        });
        private final HttpClient http = HttpClient.newHttpClient();

        TokenChecks(TokenView tokens, URI wechat) {
            timer.scheduleWithFixedDelay(() -> check(tokens, wechat), 20, 20, TimeUnit.SECONDS);
        }

        private void check(TokenView tokens, URI wechat) {
            for (var key : new java.util.TreeSet<>(tokens.keys())) {
                tokens.find(key).ifPresent(token -> {
                    try {
                        HttpResponse<String> response = http.send(
                                HttpRequest.newBuilder(wechat.resolve("/cgi-bin/getcallbackip?access_token="
                                                + java.net.URLEncoder.encode(
                                                        token.value(), java.nio.charset.StandardCharsets.UTF_8)))
                                        .timeout(Duration.ofSeconds(5))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                        narrator.accept(
                                "consumer",
                                "used " + key + " v" + token.version() + " against WeChat: "
                                        + (response.body().contains("\"errcode\"")
                                                        && !response.body().contains("\"errcode\":0")
                                                ? "REFUSED " + errcode(response.body())
                                                : "accepted"));
                    } catch (Exception e) {
                        narrator.accept(
                                "consumer",
                                "could not reach the sandbox: " + e.getClass().getSimpleName());
                    }
                });
            }
        }

        private static String errcode(String body) {
            int at = body.indexOf("\"errcode\":");
            return at < 0 ? body : body.substring(at, Math.min(body.length(), at + 16));
        }

        @Override
        public void destroy() {
            timer.shutdownNow();
        }
    }

    /** The properties the demo hands this service; a real service would put them in application.yml. */
    public static Map<String, Object> properties(
            String kafka, String redis, String tokensTopic, URI wechat, Path refresherKeys) {
        return Map.of(
                // A service of its own: the refresher's application.yml, on this JVM's classpath too, is not its.
                "spring.config.name",
                "sample-consumer-service",
                "spring.main.banner-mode",
                "off",
                "spring.main.web-application-type",
                "none",
                "spring.data.redis.url",
                redis,
                "logging.level.root",
                "WARN",
                "tokencast.consumer.bootstrap-servers",
                kafka,
                "tokencast.consumer.topic",
                tokensTopic,
                "tokencast.consumer.client-id",
                "demo-consumer",
                // The refreshers' public key: tokens not signed with it are never served.
                "tokencast.consumer.refresher-keys-file",
                refresherKeys.toString(),
                "demo.wechat-url",
                wechat.toString());
    }
}
