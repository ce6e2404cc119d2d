package io.tokencast.refresher.service.openplatform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tokencast.schema.CredentialStored;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.testkit.LocalInfrastructure;
import io.tokencast.testkit.MutableClock;
import io.tokencast.testkit.RedisServerProcess;
import io.tokencast.testkit.wechat.TicketPushReply;
import io.tokencast.testkit.wechat.WeChatEndpoint;
import io.tokencast.testkit.wechat.WeChatSandbox;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Issue 7's acceptance: real refresher replicas, the sandbox pushing real encrypted tickets to their real
 * callback endpoint, Kafka and Redis from the testkit.
 */
class OpenPlatformAcceptanceIT {

    private static final String COMPONENT = "wxcomponent0007";
    private static final String COMPONENT_SECRET = "component-secret-0007";
    private static final String CALLBACK_TOKEN = "callback-token-0007";
    private static final String AUTHORIZER = "wxauthorizer007";
    private static final String APP = "wxapp00000000007";
    private static final String APP_SECRET = "app-secret-0007";
    private static final TokenKey COMPONENT_KEY = TokenKey.of(TokenKind.WECHAT_COMPONENT_ACCESS_TOKEN, COMPONENT);
    private static final TokenKey AUTHORIZER_KEY =
            TokenKey.of(TokenKind.WECHAT_AUTHORIZER_ACCESS_TOKEN, COMPONENT + "." + AUTHORIZER);
    private static final TokenKey APP_KEY = TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, APP);
    private static final TokenKey JSAPI_KEY = TokenKey.of(TokenKind.WECHAT_JSAPI_TICKET, APP);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T01:00:00Z"));
    private final WeChatSandbox sandbox = WeChatSandbox.start(clock);
    private final HttpClient http = HttpClient.newHttpClient();
    private Replicas replicas;
    private RedisServerProcess dedicatedRedis;

    @AfterEach
    void tearDown() {
        if (replicas != null) {
            replicas.close();
        }
        sandbox.close();
        if (dedicatedRedis != null) {
            dedicatedRedis.close();
        }
    }

    private Replicas replicas(String redisUrl) {
        sandbox.registerApp(APP, APP_SECRET);
        sandbox.registerComponent(COMPONENT, COMPONENT_SECRET, MessageCryptoTest.KEY, CALLBACK_TOKEN, null);
        String refreshToken = sandbox.registerAuthorizer(COMPONENT, AUTHORIZER);
        replicas = new Replicas(
                clock,
                sandbox,
                redisUrl,
                List.of(
                        "tokencast.apps[0].kind=wechat-access-token",
                        "tokencast.apps[0].account=" + APP,
                        "tokencast.apps[0].secret=" + APP_SECRET,
                        "tokencast.apps[1].kind=wechat-jsapi-ticket",
                        "tokencast.apps[1].account=" + APP,
                        "tokencast.open-platform.components[0].appid=" + COMPONENT,
                        "tokencast.open-platform.components[0].secret=" + COMPONENT_SECRET,
                        "tokencast.open-platform.components[0].encoding-aes-key=" + MessageCryptoTest.KEY,
                        "tokencast.open-platform.components[0].callback-token=" + CALLBACK_TOKEN,
                        "tokencast.open-platform.authorizers[0].component-appid=" + COMPONENT,
                        "tokencast.open-platform.authorizers[0].authorizer-appid=" + AUTHORIZER,
                        "tokencast.open-platform.authorizers[0].refresh-token=" + refreshToken));
        return replicas;
    }

    @Test
    void aTicketReceivedByOneReplicaIsUsedByAnotherAndEveryOpenPlatformTokenIsPublished() {
        replicas(LocalInfrastructure.shared().redisUrl());
        replicas.start("replica-a");
        await().atMost(Duration.ofSeconds(20)).until(() -> replicas.isLeader("replica-a"));
        replicas.start("replica-b");

        // WeChat pushes to the load balancer, which happens to pick the replica that does not lead.
        sandbox.setTicketCallback(COMPONENT, replicas.callbackUrl("replica-b", COMPONENT));

        TokenRefreshed component = replicas.awaitVersion(COMPONENT_KEY, 1);
        assertThat(sandbox.pushReplies()).isNotEmpty().allMatch(TicketPushReply::succeeded);
        assertThat(replicas.isLeader("replica-b")).isFalse();
        assertThat(component.refresher()).isEqualTo("replica-a");
        assertThat(sandbox.checkToken(component.token())).isZero();

        TokenRefreshed authorizer = replicas.awaitVersion(AUTHORIZER_KEY, 1);
        assertThat(sandbox.checkToken(authorizer.token())).isZero();

        TokenRefreshed ticket = replicas.awaitVersion(JSAPI_KEY, 1);
        assertThat(sandbox.checkTicket(ticket.token())).isZero();
        List<TokenKey> order =
                replicas.tokens().stream().map(TokenRefreshed::tokenKey).toList();
        assertThat(order.indexOf(APP_KEY)).isLessThan(order.indexOf(JSAPI_KEY));
    }

    @Test
    void forgedAndReplayedCallbacksAreRejectedAndChangeNothing() throws Exception {
        replicas(LocalInfrastructure.shared().redisUrl());
        replicas.start("replica-a");
        sandbox.setTicketCallback(COMPONENT, replicas.callbackUrl("replica-a", COMPONENT));
        CredentialVault vault = replicas.context("replica-a").getBean(CredentialVault.class);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> vault.find("component-ticket/" + COMPONENT).isPresent());
        CredentialStored before = vault.find("component-ticket/" + COMPONENT).orElseThrow();
        // The sandbox may push more than once at start: the replica asks for a ticket (api_start_push_ticket) while
        // the first push is on its way, and a second push at the same frozen second is refused as not newer than
        // the ticket held (counted as replayed-nonce). Stop the pushes and let every one be answered, so the
        // counters below count only what this test sends.
        sandbox.setTicketCallback(COMPONENT, null);
        MeterRegistry meters = replicas.context("replica-a").getBean(MeterRegistry.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> delivered() == answered(meters));
        double badSignatures = rejected(meters, "bad-signature");
        double replays = rejected(meters, "replayed-nonce");
        MessageCrypto crypto = new MessageCrypto(COMPONENT, CALLBACK_TOKEN, MessageCryptoTest.KEY, null);
        MessageCrypto forger = new MessageCrypto(COMPONENT, "guessed-token", MessageCryptoTest.KEY, null);
        URI url = replicas.callbackUrl("replica-a", COMPONENT);

        HttpResponse<String> forged = post(
                url,
                SignedPush.of(
                        forger, clock.instant(), SignedPush.ticketXml(COMPONENT, "ticket@@@forged", clock.instant())));
        // WeChat's next push comes later than the one stored: a push no newer than the stored ticket is a replay.
        clock.advance(Duration.ofMinutes(1));
        SignedPush genuine = SignedPush.of(
                crypto, clock.instant(), SignedPush.ticketXml(COMPONENT, before.value(), clock.instant()));
        HttpResponse<String> first = post(url, genuine);
        HttpResponse<String> replayed = post(url, genuine);

        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).isEqualTo("success");
        assertThat(replayed.statusCode()).isEqualTo(409);
        assertThat(vault.find("component-ticket/" + COMPONENT))
                .map(CredentialStored::value)
                .contains(before.value());
        assertThat(rejected(meters, "bad-signature") - badSignatures).isEqualTo(1);
        assertThat(rejected(meters, "replayed-nonce") - replays).isEqualTo(1);
    }

    /** The sandbox's pushes that went to a callback URL. */
    private long delivered() {
        return sandbox.pushReplies().stream()
                .filter(reply -> reply.status() != 0)
                .count();
    }

    /** The pushes the replica answered, taken or refused. */
    private static long answered(MeterRegistry meters) {
        return Math.round(meters.find("tokencast.callback.accepted").counters().stream()
                        .mapToDouble(Counter::count)
                        .sum()
                + meters.find("tokencast.callback.rejected").counters().stream()
                        .mapToDouble(Counter::count)
                        .sum());
    }

    private static double rejected(MeterRegistry meters, String reason) {
        Counter counter =
                meters.find("tokencast.callback.rejected").tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void afterFlushAllAndARestartEveryTokenRefreshesWithoutReauthorization() {
        dedicatedRedis = LocalInfrastructure.dedicatedRedis();
        replicas(dedicatedRedis.url());
        replicas.start("first");
        sandbox.setTicketCallback(COMPONENT, replicas.callbackUrl("first", COMPONENT));
        TokenRefreshed component = replicas.awaitVersion(COMPONENT_KEY, 1);
        TokenRefreshed authorizer = replicas.awaitVersion(AUTHORIZER_KEY, 1);
        replicas.stop("first");
        // No more pushes: the ticket can only come back from the credentials topic.
        sandbox.setTicketCallback(COMPONENT, null);
        long pushes = sandbox.pushReplies().size();
        long pushRequests = sandbox.calls(COMPONENT, WeChatEndpoint.START_PUSH_TICKET);
        flushAll();

        replicas.start("second");
        clock.set(later(component.nextRefreshAt(), authorizer.nextRefreshAt()).plusSeconds(1));

        TokenRefreshed componentAgain = replicas.awaitVersion(COMPONENT_KEY, 2);
        TokenRefreshed authorizerAgain = replicas.awaitVersion(AUTHORIZER_KEY, 2);
        assertThat(componentAgain.refresher()).isEqualTo("second");
        assertThat(sandbox.checkToken(componentAgain.token())).isZero();
        assertThat(sandbox.checkToken(authorizerAgain.token())).isZero();
        assertThat(sandbox.pushReplies()).hasSize((int) pushes);
        assertThat(sandbox.calls(COMPONENT, WeChatEndpoint.START_PUSH_TICKET)).isEqualTo(pushRequests);
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private void flushAll() {
        LettuceConnectionFactory factory = new LettuceConnectionFactory(
                new RedisStandaloneConfiguration(dedicatedRedis.host(), dedicatedRedis.port()));
        factory.afterPropertiesSet();
        factory.start();
        try (RedisConnection connection = factory.getConnection()) {
            connection.serverCommands().flushAll();
        } finally {
            factory.destroy();
        }
    }

    private HttpResponse<String> post(URI url, SignedPush push) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url + "?" + push.query()))
                        .header("Content-Type", "text/xml")
                        .POST(HttpRequest.BodyPublishers.ofString(push.body()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
