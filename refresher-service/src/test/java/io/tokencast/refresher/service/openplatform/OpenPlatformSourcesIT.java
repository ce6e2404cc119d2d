package io.tokencast.refresher.service.openplatform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tokencast.refresher.service.SharedRedis;
import io.tokencast.refresher.store.StoredToken;
import io.tokencast.refresher.store.TokenStore;
import io.tokencast.refresher.wechat.FetchMode;
import io.tokencast.refresher.wechat.FetchedToken;
import io.tokencast.refresher.wechat.ManagedCredential;
import io.tokencast.refresher.wechat.WeChatApi;
import io.tokencast.refresher.wechat.WeChatException;
import io.tokencast.refresher.wechat.WeChatHttpClient;
import io.tokencast.refresher.wechat.WeChatTransport;
import io.tokencast.schema.CredentialKind;
import io.tokencast.schema.CredentialSource;
import io.tokencast.schema.CredentialStored;
import io.tokencast.schema.RefreshReason;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.testkit.LocalInfrastructure;
import io.tokencast.testkit.MutableClock;
import io.tokencast.testkit.wechat.SandboxSettings;
import io.tokencast.testkit.wechat.WeChatEndpoint;
import io.tokencast.testkit.wechat.WeChatSandbox;
import io.tokencast.trust.encryption.EncryptionKeyring;
import io.tokencast.trust.encryption.RecordEncryption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.StringRedisTemplate;

/** The component, authorizer and ticket sources against the WeChat sandbox, with the testkit's real Redis. */
class OpenPlatformSourcesIT {

    private static final String COMPONENT = "wxcomponent0001";
    private static final String SECRET = "component-secret-1";
    private static final String AUTHORIZER = "wxauthorizer001";
    private static final String APP = "wxapp0000000001";
    private static final Instant NOW = Instant.parse("2026-03-01T08:00:00Z");

    private static SharedRedis redisConnection;
    private static StringRedisTemplate redis;

    private final MutableClock clock = new MutableClock(NOW);
    private final InMemoryCredentialVault vault = new InMemoryCredentialVault();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Map<TokenKey, TokenRefreshed> current = new ConcurrentHashMap<>();
    private final TokenStore tokens = mock(TokenStore.class);
    private WeChatSandbox sandbox;
    private WeChatTransport http;
    private Revocations revocations;
    private TicketPushRequests pushes;
    private Components components;
    private String prefix;

    @BeforeAll
    static void connect() {
        redisConnection = SharedRedis.connect();
        redis = redisConnection.template();
    }

    @AfterAll
    static void disconnect() {
        redisConnection.close();
    }

    @BeforeEach
    void setUp() {
        prefix = LocalInfrastructure.uniqueName("sources-it") + ":";
        sandbox = WeChatSandbox.start(
                clock,
                SandboxSettings.builder().ticketPushInterval(Duration.ZERO).build());
        sandbox.registerComponent(COMPONENT, SECRET, MessageCryptoTest.KEY, "callback-token", null);
        http = new WeChatTransport(new WeChatHttpClient.Host(sandbox.url(), Duration.ofSeconds(5)));
        revocations = new Revocations(redis, prefix, meters, clock);
        pushes = new TicketPushRequests(http, redis, prefix, Duration.ofMinutes(10), "replica-a");
        components = new Components(List.of(new Component(
                COMPONENT, SECRET, new MessageCrypto(COMPONENT, "callback-token", MessageCryptoTest.KEY, null))));
        when(tokens.read(any())).thenAnswer(call -> {
            TokenKey key = call.getArgument(0);
            TokenRefreshed token = current.get(key);
            return new StoredToken(key, token, token == null ? 0 : token.version(), null);
        });
    }

    @AfterEach
    void tearDown() {
        sandbox.close();
    }

    private ComponentTokenSource componentSource(Duration ticketMaxAge) {
        return new ComponentTokenSource(components, vault, pushes, http, clock, ticketMaxAge);
    }

    private AuthorizerTokenSource authorizerSource() {
        return new AuthorizerTokenSource(tokens, RecordEncryption.off(), vault, revocations, http, clock, "replica-a");
    }

    private static ManagedCredential credential(TokenKind kind, String account) {
        return new ManagedCredential(TokenKey.of(kind, account), WeChatApi.CLASSIC, "unused");
    }

    private void receiveTicket() {
        sandbox.pushTicketNow(COMPONENT);
        String ticket = sandbox.currentVerifyTicket(COMPONENT).orElseThrow();
        vault.store(CredentialStored.of(
                CredentialKind.COMPONENT_VERIFY_TICKET,
                COMPONENT,
                ticket,
                clock.instant(),
                clock.instant().plus(Duration.ofHours(12)),
                CredentialSource.CALLBACK,
                "replica-b"));
    }

    private void publish(TokenKind kind, String account, FetchedToken token) {
        TokenKey key = TokenKey.of(kind, account);
        long version = current.containsKey(key) ? current.get(key).version() + 1 : 1;
        current.put(
                key,
                TokenRefreshed.of(
                        key,
                        version,
                        token.token(),
                        token.fetchedAt(),
                        token.expiresAt(),
                        token.expiresAt().minusSeconds(600),
                        RefreshReason.SCHEDULED,
                        "replica-a",
                        null));
    }

    private void publishComponentToken() {
        receiveTicket();
        publish(
                TokenKind.WECHAT_COMPONENT_ACCESS_TOKEN,
                COMPONENT,
                componentSource(Duration.ofHours(12))
                        .fetch(credential(TokenKind.WECHAT_COMPONENT_ACCESS_TOKEN, COMPONENT), FetchMode.NORMAL));
    }

    private String authorizerAccount() {
        return COMPONENT + "." + AUTHORIZER;
    }

    private void storeRefreshToken(String value) {
        vault.store(CredentialStored.of(
                CredentialKind.AUTHORIZER_REFRESH_TOKEN,
                authorizerAccount(),
                value,
                clock.instant(),
                null,
                CredentialSource.ADMIN,
                "replica-a"));
    }

    @Test
    void fetchesTheComponentTokenWithTheTicketAnotherReplicaReceived() {
        receiveTicket();

        FetchedToken token = componentSource(Duration.ofHours(12))
                .fetch(credential(TokenKind.WECHAT_COMPONENT_ACCESS_TOKEN, COMPONENT), FetchMode.NORMAL);

        assertThat(sandbox.checkToken(token.token())).isZero();
        assertThat(token.expiresIn()).isEqualTo(Duration.ofSeconds(7200));
        assertThat(token.fetchedAt()).isEqualTo(NOW);
    }

    @Test
    void withoutATicketAsksWeChatToPushOnceAndBacksOff() {
        ComponentTokenSource source = componentSource(Duration.ofHours(12));
        ManagedCredential component = credential(TokenKind.WECHAT_COMPONENT_ACCESS_TOKEN, COMPONENT);

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> source.fetch(component, FetchMode.NORMAL))
                    .isInstanceOfSatisfying(WeChatException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo("NO_VERIFY_TICKET");
                        assertThat(e.retry()).isEqualTo(WeChatException.Retry.BACKOFF);
                    });
        }

        assertThat(sandbox.calls(COMPONENT, WeChatEndpoint.START_PUSH_TICKET)).isEqualTo(1);
        assertThat(sandbox.calls(COMPONENT, WeChatEndpoint.COMPONENT_TOKEN)).isZero();
    }

    @Test
    void aTicketOlderThanTwelveHoursIsNotUsed() {
        receiveTicket();
        clock.advance(Duration.ofHours(12).plusSeconds(1));

        assertThatThrownBy(() -> componentSource(Duration.ofHours(12))
                        .fetch(credential(TokenKind.WECHAT_COMPONENT_ACCESS_TOKEN, COMPONENT), FetchMode.NORMAL))
                .isInstanceOfSatisfying(
                        WeChatException.class, e -> assertThat(e.errorCode()).isEqualTo("NO_VERIFY_TICKET"));
        assertThat(sandbox.calls(COMPONENT, WeChatEndpoint.COMPONENT_TOKEN)).isZero();
        assertThat(sandbox.calls(COMPONENT, WeChatEndpoint.START_PUSH_TICKET)).isEqualTo(1);
    }

    @Test
    void aTicketWeChatRefusesLeadsToOnePushRequest() {
        vault.store(CredentialStored.of(
                CredentialKind.COMPONENT_VERIFY_TICKET,
                COMPONENT,
                "ticket@@@wechat-never-issued",
                NOW,
                NOW.plus(Duration.ofHours(12)),
                CredentialSource.CALLBACK,
                "replica-b"));
        ComponentTokenSource source = componentSource(Duration.ofHours(12));
        ManagedCredential component = credential(TokenKind.WECHAT_COMPONENT_ACCESS_TOKEN, COMPONENT);

        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> source.fetch(component, FetchMode.NORMAL))
                    .isInstanceOfSatisfying(WeChatException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo("61006");
                        assertThat(e.retry()).isEqualTo(WeChatException.Retry.BACKOFF);
                    });
        }
        assertThat(sandbox.calls(COMPONENT, WeChatEndpoint.COMPONENT_TOKEN)).isEqualTo(2);
        assertThat(sandbox.calls(COMPONENT, WeChatEndpoint.START_PUSH_TICKET)).isEqualTo(1);
    }

    @Test
    void fetchesAnAuthorizerTokenWithTheStoredRefreshToken() {
        storeRefreshToken(sandbox.registerAuthorizer(COMPONENT, AUTHORIZER));
        publishComponentToken();

        FetchedToken token = authorizerSource()
                .fetch(credential(TokenKind.WECHAT_AUTHORIZER_ACCESS_TOKEN, authorizerAccount()), FetchMode.NORMAL);

        assertThat(sandbox.checkToken(token.token())).isZero();
        assertThat(vault.stored())
                .filteredOn(c -> c.kind() == CredentialKind.AUTHORIZER_REFRESH_TOKEN)
                .hasSize(1);
    }

    @Test
    void waitsForTheComponentToken() {
        storeRefreshToken(sandbox.registerAuthorizer(COMPONENT, AUTHORIZER));

        assertThatThrownBy(() -> authorizerSource()
                        .fetch(
                                credential(TokenKind.WECHAT_AUTHORIZER_ACCESS_TOKEN, authorizerAccount()),
                                FetchMode.NORMAL))
                .isInstanceOfSatisfying(WeChatException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo("COMPONENT_TOKEN_UNAVAILABLE");
                    assertThat(e.retry()).isEqualTo(WeChatException.Retry.BACKOFF);
                });
    }

    @Test
    void aCancelledAuthorizationRevokesTheAuthorizerAndStopsCallingWeChat() {
        storeRefreshToken(sandbox.registerAuthorizer(COMPONENT, AUTHORIZER));
        publishComponentToken();
        sandbox.deauthorize(COMPONENT, AUTHORIZER);
        AuthorizerTokenSource source = authorizerSource();
        ManagedCredential authorizer = credential(TokenKind.WECHAT_AUTHORIZER_ACCESS_TOKEN, authorizerAccount());

        assertThatThrownBy(() -> source.fetch(authorizer, FetchMode.NORMAL))
                .isInstanceOfSatisfying(WeChatException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo("61003");
                    assertThat(e.retry()).isEqualTo(WeChatException.Retry.STOP);
                });
        assertThatThrownBy(() -> source.fetch(authorizer, FetchMode.NORMAL))
                .isInstanceOfSatisfying(
                        WeChatException.class, e -> assertThat(e.errorCode()).isEqualTo("AUTHORIZER_REVOKED"));

        assertThat(sandbox.calls(authorizerAccount(), WeChatEndpoint.AUTHORIZER_TOKEN))
                .isEqualTo(1);
        assertThat(meters.get("tokencast.authorizer.revoked")
                        .tag("authorizer", authorizerAccount())
                        .gauge()
                        .value())
                .isEqualTo(1);
    }

    @Test
    void anInvalidRefreshTokenRevokesUntilANewOneIsRegistered() {
        storeRefreshToken(sandbox.registerAuthorizer(COMPONENT, AUTHORIZER));
        publishComponentToken();
        String fresh = sandbox.reauthorize(COMPONENT, AUTHORIZER);
        AuthorizerTokenSource source = authorizerSource();
        ManagedCredential authorizer = credential(TokenKind.WECHAT_AUTHORIZER_ACCESS_TOKEN, authorizerAccount());

        assertThatThrownBy(() -> source.fetch(authorizer, FetchMode.NORMAL))
                .isInstanceOfSatisfying(
                        WeChatException.class, e -> assertThat(e.errorCode()).isEqualTo("61023"));

        clock.advance(Duration.ofSeconds(1));
        new Authorizers(vault, revocations, clock, "replica-a", key -> {}, (key, by) -> {})
                .register(COMPONENT, AUTHORIZER, fresh, CredentialSource.ADMIN);
        FetchedToken token = source.fetch(authorizer, FetchMode.NORMAL);

        assertThat(sandbox.checkToken(token.token())).isZero();
        assertThat(meters.get("tokencast.authorizer.revoked")
                        .tag("authorizer", authorizerAccount())
                        .gauge()
                        .value())
                .isZero();
    }

    @Test
    void keepsARefreshTokenWeChatRotated() {
        storeRefreshToken("refresh@@@old");
        current.put(
                TokenKey.of(TokenKind.WECHAT_COMPONENT_ACCESS_TOKEN, COMPONENT),
                TokenRefreshed.of(
                        TokenKey.of(TokenKind.WECHAT_COMPONENT_ACCESS_TOKEN, COMPONENT),
                        1,
                        "component@@@t",
                        NOW,
                        NOW.plusSeconds(7200),
                        NOW.plusSeconds(5400),
                        RefreshReason.STARTUP,
                        "replica-a",
                        null));
        try (StubWeChat stub = new StubWeChat()) {
            stub.answer(
                    AuthorizerTokenSource.PATH,
                    "{\"authorizer_access_token\":\"authorizer@@@t\",\"expires_in\":7200,"
                            + "\"authorizer_refresh_token\":\"refresh@@@rotated\"}");
            clock.advance(Duration.ofSeconds(1));
            AuthorizerTokenSource source = new AuthorizerTokenSource(
                    tokens,
                    RecordEncryption.off(),
                    vault,
                    revocations,
                    new WeChatTransport(new WeChatHttpClient.Host(stub.url(), Duration.ofSeconds(5))),
                    clock,
                    "replica-a");

            FetchedToken token = source.fetch(
                    credential(TokenKind.WECHAT_AUTHORIZER_ACCESS_TOKEN, authorizerAccount()), FetchMode.NORMAL);

            assertThat(token.token()).isEqualTo("authorizer@@@t");
            CredentialStored kept = vault.find(CredentialKind.AUTHORIZER_REFRESH_TOKEN.keyFor(authorizerAccount()))
                    .orElseThrow();
            assertThat(kept.value()).isEqualTo("refresh@@@rotated");
            assertThat(kept.source()).isEqualTo(CredentialSource.WECHAT_RESPONSE);
        }
    }

    @Test
    void fetchesJsapiAndCardTicketsWithTheAppsCurrentToken() {
        sandbox.registerApp(APP, "app-secret-1");
        WeChatHttpClient client = new WeChatHttpClient(
                new WeChatHttpClient.Host(sandbox.url(), Duration.ofSeconds(5)),
                new WeChatHttpClient.Host(sandbox.url(), Duration.ofSeconds(5)),
                clock);
        TicketSource source = new TicketSource(tokens, RecordEncryption.off(), http, redis, prefix, clock);
        ManagedCredential jsapi = credential(TokenKind.WECHAT_JSAPI_TICKET, APP);

        assertThatThrownBy(() -> source.fetch(jsapi, FetchMode.NORMAL))
                .isInstanceOfSatisfying(WeChatException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo("APP_TOKEN_UNAVAILABLE");
                    assertThat(e.retry()).isEqualTo(WeChatException.Retry.BACKOFF);
                });
        publish(
                TokenKind.WECHAT_ACCESS_TOKEN,
                APP,
                client.fetch(
                        new ManagedCredential(
                                TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, APP), WeChatApi.STABLE, "app-secret-1"),
                        FetchMode.NORMAL));

        FetchedToken jsapiTicket = source.fetch(jsapi, FetchMode.NORMAL);
        FetchedToken cardTicket = source.fetch(credential(TokenKind.WECHAT_CARD_TICKET, APP), FetchMode.NORMAL);

        assertThat(sandbox.checkTicket(jsapiTicket.token())).isZero();
        assertThat(sandbox.checkTicket(cardTicket.token())).isZero();
        assertThat(jsapiTicket.token()).isNotEqualTo(cardTicket.token());
    }

    @Test
    void derivesTicketsFromAnEncryptedAppToken() {
        sandbox.registerApp(APP, "app-secret-1");
        WeChatHttpClient client = new WeChatHttpClient(
                new WeChatHttpClient.Host(sandbox.url(), Duration.ofSeconds(5)),
                new WeChatHttpClient.Host(sandbox.url(), Duration.ofSeconds(5)),
                clock);
        RecordEncryption encryption =
                RecordEncryption.with(EncryptionKeyring.generate("tickets-k1", List.of("wechat-access-token/*")));
        publish(
                TokenKind.WECHAT_ACCESS_TOKEN,
                APP,
                client.fetch(
                        new ManagedCredential(
                                TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, APP), WeChatApi.STABLE, "app-secret-1"),
                        FetchMode.NORMAL));
        TokenKey appKey = TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, APP);
        current.put(appKey, encryption.seal(current.get(appKey)));
        assertThat(current.get(appKey).token())
                .as("only ciphertext in the store")
                .isNull();

        FetchedToken ticket = new TicketSource(tokens, encryption, http, redis, prefix, clock)
                .fetch(credential(TokenKind.WECHAT_JSAPI_TICKET, APP), FetchMode.NORMAL);

        assertThat(sandbox.checkTicket(ticket.token())).isZero();
    }

    @Test
    void aRepeatedTicketKeepsTheExpiryItWasFirstPublishedWith() {
        sandbox.registerApp(APP, "app-secret-1");
        WeChatHttpClient client = new WeChatHttpClient(
                new WeChatHttpClient.Host(sandbox.url(), Duration.ofSeconds(5)),
                new WeChatHttpClient.Host(sandbox.url(), Duration.ofSeconds(5)),
                clock);
        publish(
                TokenKind.WECHAT_ACCESS_TOKEN,
                APP,
                client.fetch(
                        new ManagedCredential(
                                TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, APP), WeChatApi.STABLE, "app-secret-1"),
                        FetchMode.NORMAL));
        TicketSource source = new TicketSource(tokens, RecordEncryption.off(), http, redis, prefix, clock);
        ManagedCredential jsapi = credential(TokenKind.WECHAT_JSAPI_TICKET, APP);
        FetchedToken first = source.fetch(jsapi, FetchMode.NORMAL);
        publish(TokenKind.WECHAT_JSAPI_TICKET, APP, first);

        clock.advance(Duration.ofMinutes(90));
        FetchedToken again = source.fetch(jsapi, FetchMode.NORMAL);

        assertThat(again.token()).isEqualTo(first.token());
        assertThat(again.expiresAt()).isEqualTo(first.expiresAt());
    }

    @Test
    void waitsOutATicketInItsLastMinutesThenTakesTheNext() {
        sandbox.registerApp(APP, "app-secret-1");
        WeChatHttpClient client = new WeChatHttpClient(
                new WeChatHttpClient.Host(sandbox.url(), Duration.ofSeconds(5)),
                new WeChatHttpClient.Host(sandbox.url(), Duration.ofSeconds(5)),
                clock);
        ManagedCredential app = new ManagedCredential(
                TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, APP), WeChatApi.CLASSIC, "app-secret-1");
        publish(TokenKind.WECHAT_ACCESS_TOKEN, APP, client.fetch(app, FetchMode.NORMAL));
        TicketSource source = new TicketSource(tokens, RecordEncryption.off(), http, redis, prefix, clock);
        ManagedCredential jsapi = credential(TokenKind.WECHAT_JSAPI_TICKET, APP);
        FetchedToken first = source.fetch(jsapi, FetchMode.NORMAL);

        clock.advance(Duration.ofSeconds(7200 - 120));
        publish(TokenKind.WECHAT_ACCESS_TOKEN, APP, client.fetch(app, FetchMode.NORMAL));
        assertThatThrownBy(() -> source.fetch(jsapi, FetchMode.NORMAL))
                .isInstanceOfSatisfying(WeChatException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo("TICKET_NOT_ROTATED");
                    assertThat(e.retry()).isEqualTo(WeChatException.Retry.BACKOFF);
                    assertThat(e.getMessage()).doesNotContain(first.token());
                });

        clock.advance(Duration.ofSeconds(121));
        FetchedToken next = source.fetch(jsapi, FetchMode.NORMAL);

        assertThat(next.token()).isNotEqualTo(first.token());
        assertThat(sandbox.checkTicket(next.token())).isZero();
        assertThat(next.expiresIn()).isEqualTo(Duration.ofSeconds(7200));
    }
}
