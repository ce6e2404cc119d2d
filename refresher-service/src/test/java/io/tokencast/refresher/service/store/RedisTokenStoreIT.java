package io.tokencast.refresher.service.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tokencast.refresher.service.Forgery;
import io.tokencast.refresher.service.SharedRedis;
import io.tokencast.refresher.service.TestSigning;
import io.tokencast.refresher.signing.RecordSigning;
import io.tokencast.refresher.signing.SignedEvent;
import io.tokencast.refresher.store.RetryState;
import io.tokencast.refresher.store.StoredToken;
import io.tokencast.schema.EventCodec;
import io.tokencast.schema.RefreshReason;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.testkit.LocalInfrastructure;
import io.tokencast.testkit.MutableClock;
import io.tokencast.trust.signing.Verdict;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.data.redis.core.StringRedisTemplate;

class RedisTokenStoreIT {

    private static final TokenKey KEY = TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, "wxstore");
    private static final TokenKey OTHER = TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, "wxother");
    private static SharedRedis redisConnection;
    private static StringRedisTemplate redis;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T01:00:00Z"));
    private final String prefix = LocalInfrastructure.uniqueName("store") + ":";
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final RecordSigning signing = TestSigning.recordSigning(meters);
    private final RedisTokenStore store = new RedisTokenStore(redis, prefix, clock, signing);

    @BeforeAll
    static void connect() {
        redisConnection = SharedRedis.connect();
        redis = redisConnection.template();
    }

    @AfterAll
    static void disconnect() {
        redisConnection.close();
    }

    @Test
    void aWriterWhoseVersionIsStaleLoses() {
        assertThat(store.compareAndSet(version(1, "a"), 0)).isTrue();
        assertThat(store.compareAndSet(version(2, "b"), 1)).isTrue();

        assertThat(store.compareAndSet(version(2, "late"), 1)).isFalse();

        StoredToken stored = store.read(KEY);
        assertThat(stored.version()).isEqualTo(2);
        assertThat(stored.token().token()).isEqualTo("b");
    }

    @Test
    void theVersionOutlivesTheTokensExpiryInRedis() {
        store.compareAndSet(version(1, "a"), 0);
        store.compareAndSet(version(2, "b"), 1);
        redis.delete(prefix + "token:" + KEY.asString());

        StoredToken stored = store.read(KEY);

        assertThat(stored.token()).isNull();
        assertThat(stored.version()).isEqualTo(2);
        assertThat(store.compareAndSet(version(1, "again"), 0)).isFalse();
        assertThat(store.compareAndSet(version(3, "c"), 2)).isTrue();
    }

    @Test
    void restoreTakesOnlyWhatIsNewerThanRedis() {
        store.compareAndSet(version(1, "a"), 0);
        store.compareAndSet(version(2, "b"), 1);

        assertThat(store.restore(version(1, "old"))).isFalse();
        assertThat(store.restore(version(2, "same"))).isFalse();
        assertThat(store.restore(version(5, "topic"))).isTrue();

        assertThat(store.read(KEY).version()).isEqualTo(5);
        assertThat(store.read(KEY).token().token()).isEqualTo("topic");
    }

    @Test
    void anExpiredTokenFromTheTopicRestoresOnlyItsVersion() {
        SignedEvent<TokenRefreshed> expired = version(7, "dead");
        clock.set(expired.event().expiresAt().plusSeconds(1));

        assertThat(store.restore(expired)).isTrue();

        assertThat(store.read(KEY).token()).isNull();
        assertThat(store.read(KEY).version()).isEqualTo(7);
    }

    @Test
    void retryStateAndRecoveryMarkRoundTrip() {
        RetryState retry = new RetryState(3, clock.instant().plusSeconds(8), "-1", false);
        store.saveRetry(KEY, retry);
        assertThat(store.read(KEY).retry()).isEqualTo(retry);
        store.clearRetry(KEY);
        assertThat(store.read(KEY).retry()).isNull();

        assertThat(store.isRecovered()).isFalse();
        store.markRecovered("test");
        assertThat(store.isRecovered()).isTrue();
    }

    @Test
    void redisHoldsTheSignedBytesThatVerifyWithThePublicKey() {
        SignedEvent<TokenRefreshed> written = version(1, "a");
        store.compareAndSet(written, 0);

        String json = (String) redis.opsForHash().get(prefix + "token:" + KEY.asString(), "json");

        assertThat(json).isEqualTo(written.jsonString());
        assertThat(TestSigning.verifier()
                        .verify(json.getBytes(StandardCharsets.UTF_8), KEY.asString())
                        .verdict())
                .isEqualTo(Verdict.VERIFIED);
    }

    @ParameterizedTest
    @EnumSource(Forgery.class)
    void aForgedRecordInRedisIsRejectedCountedAndNeverReturned(Forgery forgery) {
        store.compareAndSet(version(1, "genuine"), 0);
        byte[] genuine = version(1, "genuine").json();
        byte[] other = signing.sign(version(OTHER, 1, "other")).json();
        byte[] forged = forgery.forge(KEY.asString(), genuine, other);
        redis.opsForHash().put(prefix + "token:" + KEY.asString(), "json", new String(forged, StandardCharsets.UTF_8));

        StoredToken stored = store.read(KEY);

        assertThat(stored.token()).isNull();
        assertThat(stored.untrusted()).isTrue();
        assertThat(stored.version()).as("the version floor still counts").isEqualTo(1);
        assertThat(meters.get("tokencast.records.rejected")
                        .tags(
                                "source",
                                "redis-tokens",
                                "reason",
                                forgery.verdict().name())
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void restoreReplacesAnUntrustedRecordWhateverVersionItClaims() {
        store.compareAndSet(version(1, "a"), 0);
        SignedEvent<TokenRefreshed> forged = new SignedEvent<>(
                version(9, "forged").event(),
                Forgery.UNSIGNED.forge(KEY.asString(), version(9, "forged").json(), null));
        redis.opsForHash()
                .putAll(
                        prefix + "token:" + KEY.asString(),
                        java.util.Map.of("json", forged.jsonString(), "version", "9"));

        assertThat(store.restore(version(1, "a"))).isTrue();

        StoredToken stored = store.read(KEY);
        assertThat(stored.untrusted()).isFalse();
        assertThat(stored.token().token()).isEqualTo("a");
        assertThat(store.compareAndSet(version(2, "b"), 1))
                .as("the next version goes above it")
                .isTrue();
    }

    @Test
    void inTheUpgradeWindowAnUnsignedRecordIsTakenButAForgedSignatureIsNot() {
        RedisTokenStore upgrading = new RedisTokenStore(
                redis,
                prefix,
                clock,
                TestSigning.recordSigning(meters, clock, clock.instant().plusSeconds(3600)));
        byte[] unsigned = EventCodec.json().encode(version(KEY, 1, "from-before-signing"));
        redis.opsForHash()
                .putAll(
                        prefix + "token:" + KEY.asString(),
                        java.util.Map.of("json", new String(unsigned, StandardCharsets.UTF_8), "version", "1"));

        assertThat(upgrading.read(KEY).token().token()).isEqualTo("from-before-signing");
        assertThat(meters.get("tokencast.records.unsigned.accepted").counter().count())
                .isEqualTo(1);

        byte[] forged = Forgery.WRONG_KEY.forge(KEY.asString(), version(1, "x").json(), null);
        redis.opsForHash().put(prefix + "token:" + KEY.asString(), "json", new String(forged, StandardCharsets.UTF_8));
        assertThat(upgrading.read(KEY).untrusted()).isTrue();

        redis.opsForHash()
                .put(prefix + "token:" + KEY.asString(), "json", new String(unsigned, StandardCharsets.UTF_8));
        clock.advance(java.time.Duration.ofHours(2));
        assertThat(upgrading.read(KEY).untrusted()).as("after the window").isTrue();
    }

    private SignedEvent<TokenRefreshed> version(long version, String token) {
        return signing.sign(version(KEY, version, token));
    }

    private TokenRefreshed version(TokenKey key, long version, String token) {
        Instant now = clock.instant();
        return TokenRefreshed.of(
                key,
                version,
                token,
                now,
                now.plusSeconds(7200),
                now.plusSeconds(5400),
                RefreshReason.SCHEDULED,
                "t",
                null);
    }
}
