package io.tokencast.refresher.service.openplatform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tokencast.refresher.service.SharedRedis;
import io.tokencast.refresher.service.config.TokencastProperties;
import io.tokencast.refresher.store.StoredToken;
import io.tokencast.refresher.store.TokenStore;
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
import io.tokencast.trust.encryption.RecordEncryption;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

/**
 * The callback's checks, one refusal at a time, with MockMvc and the testkit's real Redis (nonces,
 * revocations). The happy path against a real sandbox push to a running refresher is in
 * {@link OpenPlatformAcceptanceIT}.
 */
class VerifyTicketCallbackIT {

    private static final String APPID = "wxcomponent0001";
    private static final String TOKEN = "callback-token-1";
    private static final Instant NOW = Instant.parse("2026-03-01T08:00:00Z");

    private static SharedRedis redisConnection;
    private static StringRedisTemplate redis;

    private final MutableClock clock = new MutableClock(NOW);
    private final MessageCrypto crypto = new MessageCrypto(APPID, TOKEN, MessageCryptoTest.KEY, null);
    private final InMemoryCredentialVault vault = new InMemoryCredentialVault();
    private String prefix;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final TokenStore tokens = mock(TokenStore.class);
    private final List<TokenKey> refreshed = new CopyOnWriteArrayList<>();
    private final List<TokenKey> retired = new CopyOnWriteArrayList<>();
    private StubWeChat wechat;
    private Revocations revocations;
    private MockMvc mvc;

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
        prefix = LocalInfrastructure.uniqueName("callback-it") + ":";
        wechat = new StubWeChat();
        OpenPlatformProperties properties = bind(OpenPlatformProperties.class, "tokencast.open-platform");
        TokencastProperties tokencast = bind(TokencastProperties.class, "tokencast");
        Components components = new Components(List.of(new Component(
                APPID,
                "component-secret",
                new MessageCrypto(APPID, TOKEN, MessageCryptoTest.KEY, MessageCryptoTest.OLD_KEY))));
        revocations = new Revocations(redis, prefix, meters, clock);
        Authorizers authorizers =
                new Authorizers(vault, revocations, clock, "replica-a", refreshed::add, (key, by) -> retired.add(key));
        WeChatTransport http = new WeChatTransport(new WeChatHttpClient.Host(wechat.url(), Duration.ofSeconds(5)));
        VerifyTicketCallback callback = new VerifyTicketCallback(
                components,
                new ReplayGuard(redis, prefix, properties.callback().replayWindow()),
                vault,
                new AuthorizationEvents(authorizers, tokens, RecordEncryption.off(), http, clock),
                meters,
                clock,
                properties,
                tokencast);
        mvc = MockMvcBuilders.standaloneSetup(callback).build();
    }

    @AfterEach
    void tearDown() {
        wechat.close();
    }

    private static <T> T bind(Class<T> type, String prefix) {
        return new Binder(new MapConfigurationPropertySource(java.util.Map.of("tokencast.instance-id", "replica-a")))
                .bindOrCreate(prefix, type);
    }

    private ResultActions send(String appid, String query, byte[] body) throws Exception {
        return mvc.perform(post("/wechat/open-platform/" + appid + "/callback?" + query)
                .contentType(MediaType.TEXT_XML)
                .content(body));
    }

    private ResultActions send(SignedPush push) throws Exception {
        return send(APPID, push.query(), push.body().getBytes(StandardCharsets.UTF_8));
    }

    private SignedPush ticketPush(String ticket) {
        return SignedPush.of(crypto, clock.instant(), SignedPush.ticketXml(APPID, ticket, clock.instant()));
    }

    private double rejected(String reason) {
        var counter =
                meters.find("tokencast.callback.rejected").tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void storesAVerifyTicketAndRepliesSuccess() throws Exception {
        send(ticketPush("ticket@@@one"))
                .andExpect(status().isOk())
                .andExpect(content().string("success"));

        CredentialStored stored = vault.find("component-ticket/" + APPID).orElseThrow();
        assertThat(stored.value()).isEqualTo("ticket@@@one");
        assertThat(stored.source()).isEqualTo(CredentialSource.CALLBACK);
        assertThat(stored.receivedAt()).isEqualTo(NOW);
        assertThat(stored.expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(12)));
        assertThat(meters.counter("tokencast.callback.accepted", "infoType", "component_verify_ticket")
                        .count())
                .isEqualTo(1);
    }

    @Test
    void acceptsPushesEncryptedWithThePreviousKey() throws Exception {
        MessageCrypto before = new MessageCrypto(APPID, TOKEN, MessageCryptoTest.OLD_KEY, null);

        send(SignedPush.of(before, NOW, SignedPush.ticketXml(APPID, "ticket@@@old-key", NOW)))
                .andExpect(status().isOk());

        assertThat(vault.find("component-ticket/" + APPID))
                .map(CredentialStored::value)
                .contains("ticket@@@old-key");
    }

    @Test
    void refusesAForgedSignature() throws Exception {
        SignedPush forged = ticketPush("ticket@@@forged").withSignature("0".repeat(40));

        send(forged).andExpect(status().isForbidden()).andExpect(content().string("rejected: bad-signature"));

        assertThat(vault.stored()).isEmpty();
        assertThat(rejected("bad-signature")).isEqualTo(1);
    }

    @Test
    void refusesAPushSignedWithAnotherToken() throws Exception {
        MessageCrypto impostor = new MessageCrypto(APPID, "guessed-token", MessageCryptoTest.KEY, null);

        send(SignedPush.of(impostor, NOW, SignedPush.ticketXml(APPID, "ticket@@@x", NOW)))
                .andExpect(status().isForbidden());

        assertThat(vault.stored()).isEmpty();
        assertThat(rejected("bad-signature")).isEqualTo(1);
    }

    @Test
    void refusesTheSamePushTwice() throws Exception {
        SignedPush push = ticketPush("ticket@@@once");
        send(push).andExpect(status().isOk());

        send(push).andExpect(status().isConflict()).andExpect(content().string("rejected: replayed-nonce"));

        assertThat(vault.stored()).hasSize(1);
        assertThat(rejected("replayed-nonce")).isEqualTo(1);
    }

    @Test
    void refusesAPushReplayedAfterRedisLostItsNonces() throws Exception {
        // given a push taken, its nonce in Redis and its ticket in the vault (durable on the credentials topic)
        SignedPush captured = ticketPush("ticket@@@captured");
        send(captured).andExpect(status().isOk());

        // when Redis loses the nonces and the captured push is replayed within the replay window
        redis.delete(redis.keys(prefix + "callback-nonce:*"));
        clock.advance(Duration.ofMinutes(1));

        // then it is still refused: it is not newer than the ticket held
        send(captured).andExpect(status().isConflict()).andExpect(content().string("rejected: replayed-nonce"));
        assertThat(vault.stored()).hasSize(1);
        assertThat(rejected("replayed-nonce")).isEqualTo(1);
    }

    @Test
    void refusesAnOldPushEvenWithAFreshNonce() throws Exception {
        SignedPush old =
                SignedPush.of(crypto, NOW.minus(Duration.ofMinutes(6)), SignedPush.ticketXml(APPID, "t@@@", NOW));

        send(old).andExpect(status().isConflict()).andExpect(content().string("rejected: stale-timestamp"));

        assertThat(vault.stored()).isEmpty();
        assertThat(rejected("stale-timestamp")).isEqualTo(1);
    }

    @Test
    void refusesAPushForAnotherPlatformSealedWithTheSameKeys() throws Exception {
        MessageCrypto other = new MessageCrypto("wxotherplatform", TOKEN, MessageCryptoTest.KEY, null);
        SignedPush push = SignedPush.of(other, NOW, SignedPush.ticketXml("wxotherplatform", "t@@@", NOW));

        // Outer AppId rewritten to ours: only the appid inside the ciphertext tells.
        send(APPID, push.query(), push.body().replace("wxotherplatform", APPID).getBytes(StandardCharsets.UTF_8))
                .andExpect(status().isForbidden())
                .andExpect(content().string("rejected: wrong-appid"));

        assertThat(vault.stored()).isEmpty();
    }

    @Test
    void refusesCiphertextNoConfiguredKeyDecrypts() throws Exception {
        MessageCrypto wrongKey = new MessageCrypto(APPID, TOKEN, MessageCryptoTest.OTHER_KEY, null);

        send(SignedPush.of(wrongKey, NOW, SignedPush.ticketXml(APPID, "t@@@", NOW)))
                .andExpect(status().isForbidden())
                .andExpect(content().string("rejected: undecryptable"));

        assertThat(vault.stored()).isEmpty();
    }

    @Test
    void refusesMalformedXml() throws Exception {
        SignedPush push = ticketPush("t@@@");

        send(APPID, push.query(), "<xml><Encrypt>abc</Encrypt".getBytes(StandardCharsets.UTF_8))
                .andExpect(status().isBadRequest())
                .andExpect(content().string("rejected: malformed-xml"));
        send(APPID, push.query(), "<xml><AppId>x</AppId></xml>".getBytes(StandardCharsets.UTF_8))
                .andExpect(status().isBadRequest());

        assertThat(vault.stored()).isEmpty();
        assertThat(rejected("malformed-xml")).isEqualTo(2);
    }

    @Test
    void neverExpandsEntities(@TempDir Path dir) throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "top-secret-file-content");
        SignedPush push = ticketPush("t@@@");
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY x SYSTEM \"" + secret.toUri()
                + "\">]><xml><AppId>&x;</AppId><Encrypt>" + push.encrypted() + "</Encrypt></xml>";
        String laughs = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2"
                + " \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]><xml><Encrypt>&lol2;</Encrypt></xml>";

        send(APPID, push.query(), xxe.getBytes(StandardCharsets.UTF_8))
                .andExpect(status().isBadRequest())
                .andExpect(content().string("rejected: xml-doctype"));
        send(APPID, push.query(), laughs.getBytes(StandardCharsets.UTF_8)).andExpect(status().isBadRequest());

        assertThat(vault.stored()).isEmpty();
        assertThat(rejected("xml-doctype")).isEqualTo(2);
    }

    @Test
    void refusesBodiesOverTheLimitBeforeReadingThem() throws Exception {
        SignedPush push = ticketPush("t@@@");
        byte[] huge = ("<xml><Encrypt>" + "A".repeat(70 * 1024) + "</Encrypt></xml>").getBytes(StandardCharsets.UTF_8);

        send(APPID, push.query(), huge)
                .andExpect(status().isPayloadTooLarge())
                .andExpect(content().string("rejected: too-large"));

        assertThat(vault.stored()).isEmpty();
        assertThat(rejected("too-large")).isEqualTo(1);
    }

    @Test
    void refusesMissingParametersAndUnknownComponents() throws Exception {
        SignedPush push = ticketPush("t@@@");
        byte[] body = push.body().getBytes(StandardCharsets.UTF_8);

        send(APPID, push.query().replace("msg_signature=", "other="), body)
                .andExpect(status().isBadRequest())
                .andExpect(content().string("rejected: missing-parameter"));
        send("wxnotconfigured", push.query(), body).andExpect(status().isNotFound());
        send(APPID, push.query().replace("nonce=", "nonce=%00"), body).andExpect(status().isBadRequest());

        assertThat(vault.stored()).isEmpty();
        assertThat(rejected("missing-parameter")).isEqualTo(1);
        assertThat(rejected("unknown-component")).isEqualTo(1);
        assertThat(rejected("bad-parameter")).isEqualTo(1);
    }

    @Test
    void answersUnavailableWhenTheTicketCannotBeStoredAndTakesWeChatsRetry() throws Exception {
        SignedPush push = ticketPush("ticket@@@retried");
        vault.failStores(true);

        send(push).andExpect(status().isServiceUnavailable());

        vault.failStores(false);
        send(push).andExpect(status().isOk());
        assertThat(vault.find("component-ticket/" + APPID))
                .map(CredentialStored::value)
                .contains("ticket@@@retried");
    }

    @Test
    void repliesSuccessToEventsItDoesNotActOn() throws Exception {
        String xml = "<xml><AppId>" + APPID + "</AppId><InfoType>notify_third_fasteregister</InfoType></xml>";

        send(SignedPush.of(crypto, NOW, xml))
                .andExpect(status().isOk())
                .andExpect(content().string("success"));

        assertThat(vault.stored()).isEmpty();
    }

    @Test
    void registersAnAuthorizerByExchangingTheAuthorizationCode() throws Exception {
        TokenKey componentKey = TokenKey.of(TokenKind.WECHAT_COMPONENT_ACCESS_TOKEN, APPID);
        TokenRefreshed componentToken = TokenRefreshed.of(
                componentKey,
                3,
                "component@@@token",
                NOW,
                NOW.plusSeconds(7200),
                NOW.plusSeconds(5400),
                RefreshReason.SCHEDULED,
                "replica-a",
                null);
        when(tokens.read(componentKey)).thenReturn(new StoredToken(componentKey, componentToken, 3, null));
        wechat.answer(
                AuthorizationEvents.QUERY_AUTH,
                "{\"authorization_info\":{\"authorizer_appid\":\"wxauthorizer01\",\"authorizer_access_token\":\"a\","
                        + "\"expires_in\":7200,\"authorizer_refresh_token\":\"refresh@@@new\"}}");
        revocations.revoke(APPID + ".wxauthorizer01", "61003");

        send(SignedPush.of(crypto, NOW, SignedPush.eventXml(APPID, "authorized", "wxauthorizer01", "code@@@1", NOW)))
                .andExpect(status().isOk());

        assertThat(vault.find(CredentialKind.AUTHORIZER_REFRESH_TOKEN.keyFor(APPID + ".wxauthorizer01")))
                .map(CredentialStored::value)
                .contains("refresh@@@new");
        assertThat(revocations.revoked(APPID + ".wxauthorizer01")).isEmpty();
        assertThat(refreshed)
                .containsExactly(TokenKey.of(TokenKind.WECHAT_AUTHORIZER_ACCESS_TOKEN, APPID + ".wxauthorizer01"));
        assertThat(wechat.requests()).singleElement().satisfies(r -> {
            assertThat(r.query()).isEqualTo("component_access_token=component%40%40%40token");
            assertThat(r.body()).contains("\"authorization_code\":\"code@@@1\"");
        });
    }

    @Test
    void retiresAnAuthorizerThatCancelled() throws Exception {
        String refreshKey = CredentialKind.AUTHORIZER_REFRESH_TOKEN.keyFor(APPID + ".wxauthorizer02");
        vault.store(CredentialStored.of(
                CredentialKind.AUTHORIZER_REFRESH_TOKEN,
                APPID + ".wxauthorizer02",
                "refresh@@@old",
                NOW,
                null,
                CredentialSource.WECHAT_RESPONSE,
                "replica-a"));

        send(SignedPush.of(crypto, NOW, SignedPush.eventXml(APPID, "unauthorized", "wxauthorizer02", null, NOW)))
                .andExpect(status().isOk());

        assertThat(revocations.revoked(APPID + ".wxauthorizer02")).contains("unauthorized");
        assertThat(vault.find(refreshKey)).isEmpty();
        assertThat(retired)
                .containsExactly(TokenKey.of(TokenKind.WECHAT_AUTHORIZER_ACCESS_TOKEN, APPID + ".wxauthorizer02"));
        assertThat(meters.get("tokencast.authorizer.revoked")
                        .tag("authorizer", APPID + ".wxauthorizer02")
                        .gauge()
                        .value())
                .isEqualTo(1);
    }
}
