package io.tokencast.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.tokencast.schema.EventCodec;
import io.tokencast.schema.RefreshReason;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import io.tokencast.schema.TokenRefreshed;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Proves the test Redis is a real server of our own: events round-trip, and it can be killed. */
class RedisRoundTripIT {

    private final EventCodec codec = EventCodec.json();

    @Test
    void tokenEventsRoundTripThroughTheSharedRedisAsCodecJson() {
        // given the shared Redis, which is never the machine's own on 6379
        RedisServer redis = LocalInfrastructure.shared().redis();
        assertThat(redis.port()).isNotEqualTo(6379);
        String key = LocalInfrastructure.uniqueName("tokencast") + ":token:wechat-access-token/wx0000000000000001";
        TokenRefreshed event = TokenRefreshed.of(
                TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, "wx0000000000000001"),
                7,
                "84_secret-token-value",
                Instant.parse("2026-11-26T00:00:00Z"),
                Instant.parse("2026-11-26T02:00:00Z"),
                Instant.parse("2026-11-26T01:30:00Z"),
                RefreshReason.SCHEDULED,
                "it",
                null);

        RedisClient client = RedisClient.create(redis.url());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            // when it is stored as the contract's hash (JSON + version)
            connection.sync().hset(key, Map.of("json", codec.encodeToString(event), "version", "7"));

            // then it reads back equal, through the same codec
            Map<String, String> stored = connection.sync().hgetall(key);
            assertThat(stored).containsEntry("version", "7");
            assertThat(codec.decode(stored.get("json"), TokenRefreshed.class)).isEqualTo(event);
        } finally {
            client.shutdown();
        }
    }

    @Test
    void aDedicatedRedisCanBeKilledAndRestartedEmptyOnTheSamePort() {
        try (RedisServerProcess redis = LocalInfrastructure.dedicatedRedis()) {
            RedisClient client = RedisClient.create(redis.url());
            try {
                try (StatefulRedisConnection<String, String> connection = client.connect()) {
                    connection.sync().set("k", "v");
                }
                int port = redis.port();

                redis.stop();
                assertThat(redis.isRunning()).isFalse();
                assertThatThrownBy(client::connect).isInstanceOf(RedisConnectionException.class);

                redis.restart();
                assertThat(redis.port()).isEqualTo(port);
                try (StatefulRedisConnection<String, String> connection = client.connect()) {
                    assertThat(connection.sync().get("k")).isNull();
                }
            } finally {
                client.shutdown();
            }
        }
    }
}
