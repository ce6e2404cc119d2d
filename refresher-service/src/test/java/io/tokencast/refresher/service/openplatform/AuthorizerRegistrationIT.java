package io.tokencast.refresher.service.openplatform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.tokencast.refresher.config.CredentialCatalog;
import io.tokencast.refresher.service.TestOperator;
import io.tokencast.schema.RefreshReason;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.testkit.LocalInfrastructure;
import io.tokencast.testkit.MutableClock;
import io.tokencast.testkit.wechat.WeChatEndpoint;
import io.tokencast.testkit.wechat.WeChatSandbox;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Authorizers registered and retired while the refresher runs, on two replicas: the one that receives the
 * registration (an admin call or a callback) is not the one that leads, yet the leader refreshes the
 * authorizer, and a retirement on one replica stops the refreshes everywhere.
 */
class AuthorizerRegistrationIT {

    private static final String COMPONENT = "wxcomponent0071";
    private static final String COMPONENT_SECRET = "component-secret-0071";
    private static final String CALLBACK_TOKEN = "callback-token-0071";
    private static final String AUTHORIZER = "wxauthorizer071";
    private static final String ACCOUNT = COMPONENT + "." + AUTHORIZER;
    private static final TokenKey COMPONENT_KEY = TokenKey.of(TokenKind.WECHAT_COMPONENT_ACCESS_TOKEN, COMPONENT);
    private static final TokenKey AUTHORIZER_KEY = TokenKey.of(TokenKind.WECHAT_AUTHORIZER_ACCESS_TOKEN, ACCOUNT);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T01:00:00Z"));
    private final WeChatSandbox sandbox = WeChatSandbox.start(clock);
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private Replicas replicas;
    private String refreshToken;

    @BeforeEach
    void setUp() {
        sandbox.registerComponent(COMPONENT, COMPONENT_SECRET, MessageCryptoTest.KEY, CALLBACK_TOKEN, null);
        refreshToken = sandbox.registerAuthorizer(COMPONENT, AUTHORIZER);
        replicas = new Replicas(
                clock,
                sandbox,
                LocalInfrastructure.shared().redisUrl(),
                List.of(
                        "tokencast.consumer.enabled=false",
                        "management.endpoints.web.exposure.include=health,authorizers",
                        "tokencast.open-platform.components[0].appid=" + COMPONENT,
                        "tokencast.open-platform.components[0].secret=" + COMPONENT_SECRET,
                        "tokencast.open-platform.components[0].encoding-aes-key=" + MessageCryptoTest.KEY,
                        "tokencast.open-platform.components[0].callback-token=" + CALLBACK_TOKEN));
        // Replica B leads; replica A receives every push and every admin call.
        replicas.start("replica-b");
        await().atMost(Duration.ofSeconds(20)).until(() -> replicas.isLeader("replica-b"));
        replicas.start("replica-a");
        sandbox.setTicketCallback(COMPONENT, replicas.callbackUrl("replica-a", COMPONENT));
        replicas.awaitVersion(COMPONENT_KEY, 1);
    }

    @AfterEach
    void tearDown() {
        if (replicas != null) {
            replicas.close();
        }
        sandbox.close();
    }

    @Test
    void anAuthorizerRegisteredOnOneReplicaIsRefreshedByTheLeaderUntilItIsRetired() throws Exception {
        HttpResponse<String> registered = send(
                "replica-a",
                "POST",
                "",
                """
                {"componentAppid":"%s","authorizerAppid":"%s","refreshToken":"%s"}
                """
                        .formatted(COMPONENT, AUTHORIZER, refreshToken));

        assertThat(registered.statusCode()).isEqualTo(200);
        assertThat(registered.body()).doesNotContain(refreshToken);
        assertThat(json.readTree(registered.body()).path("source").asString()).isEqualTo("ADMIN");
        TokenRefreshed first = replicas.awaitVersion(AUTHORIZER_KEY, 1);
        assertThat(sandbox.checkToken(first.token())).isZero();

        clock.set(first.nextRefreshAt().plusSeconds(1));
        TokenRefreshed second = replicas.awaitVersion(AUTHORIZER_KEY, 2);

        assertThat(replicas.isLeader("replica-b")).isTrue();
        assertThat(second.refresher()).isEqualTo("replica-b");
        assertThat(second.reason()).isEqualTo(RefreshReason.SCHEDULED);
        assertThat(sandbox.checkToken(second.token())).isZero();
        JsonNode listed = json.readTree(send("replica-b", "GET", "", null).body());
        assertThat(listed).singleElement().satisfies(a -> {
            assertThat(a.path("authorizer").asString()).isEqualTo(ACCOUNT);
            assertThat(a.path("refreshTokenFingerprint").asString()).startsWith("sha256:");
            assertThat(a.path("revoked").isNull()).isTrue();
        });
        assertThat(expiryGauge("replica-b")).isPresent();

        HttpResponse<String> retired = send("replica-a", "DELETE", "/" + COMPONENT + "/" + AUTHORIZER, null);

        assertThat(retired.statusCode()).isEqualTo(200);
        assertThat(json.readTree(retired.body()).path("held").asBoolean()).isTrue();
        await().atMost(Duration.ofSeconds(20)).until(() -> replicas.tombstones().contains(AUTHORIZER_KEY.asString()));
        assertNoMoreRefreshes(second.expiresAt());
        assertThat(json.readTree(send("replica-b", "GET", "", null).body())).isEmpty();
        assertThat(replicas.context("replica-b")
                        .getBean(CredentialCatalog.class)
                        .find(AUTHORIZER_KEY))
                .isEmpty();
        assertThat(expiryGauge("replica-b")).isEmpty();
    }

    @Test
    void anUnauthorizedEventOnOneReplicaRetiresTheAuthorizerOnAll() throws Exception {
        send(
                "replica-a",
                "POST",
                "",
                """
                {"componentAppid":"%s","authorizerAppid":"%s","refreshToken":"%s"}
                """
                        .formatted(COMPONENT, AUTHORIZER, refreshToken));
        TokenRefreshed first = replicas.awaitVersion(AUTHORIZER_KEY, 1);
        sandbox.deauthorize(COMPONENT, AUTHORIZER);
        MessageCrypto crypto = new MessageCrypto(COMPONENT, CALLBACK_TOKEN, MessageCryptoTest.KEY, null);
        SignedPush push = SignedPush.of(
                crypto,
                clock.instant(),
                SignedPush.eventXml(COMPONENT, "unauthorized", AUTHORIZER, null, clock.instant()));

        HttpResponse<String> answer = http.send(
                HttpRequest.newBuilder(URI.create(replicas.callbackUrl("replica-a", COMPONENT) + "?" + push.query()))
                        .header("Content-Type", "text/xml")
                        .POST(HttpRequest.BodyPublishers.ofString(push.body()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(answer.body()).isEqualTo("success");
        await().atMost(Duration.ofSeconds(20)).until(() -> replicas.tombstones().contains(AUTHORIZER_KEY.asString()));
        assertNoMoreRefreshes(first.expiresAt());
        assertThat(json.readTree(send("replica-b", "GET", "", null).body())).isEmpty();
        assertThat(replicas.context("replica-a")
                        .getBean(MeterRegistry.class)
                        .get("tokencast.authorizer.revoked")
                        .tag("authorizer", ACCOUNT)
                        .gauge()
                        .value())
                .isEqualTo(1);
    }

    /** Past the retired token's expiry, for a while: the leader never asks WeChat for the authorizer again. */
    private void assertNoMoreRefreshes(Instant lastExpiry) {
        long calls = sandbox.calls(ACCOUNT, WeChatEndpoint.AUTHORIZER_TOKEN);
        long versions = replicas.tokens(AUTHORIZER_KEY).size();
        clock.set(lastExpiry.plusSeconds(60));
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    clock.advance(Duration.ofMinutes(1));
                    return sandbox.calls(ACCOUNT, WeChatEndpoint.AUTHORIZER_TOKEN) == calls;
                });
        assertThat(replicas.tokens(AUTHORIZER_KEY)).hasSize((int) versions);
    }

    private Optional<Double> expiryGauge(String instanceId) {
        return Optional.ofNullable(replicas.context(instanceId)
                        .getBean(MeterRegistry.class)
                        .find("tokencast.token.expiry")
                        .tag("key", AUTHORIZER_KEY.asString())
                        .gauge())
                .map(g -> g.value());
    }

    private HttpResponse<String> send(String instanceId, String method, String path, String body) throws Exception {
        String port = replicas.context(instanceId).getEnvironment().getProperty("local.management.port");
        HttpRequest.Builder request = TestOperator.authenticated(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/authorizers" + path)))
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
