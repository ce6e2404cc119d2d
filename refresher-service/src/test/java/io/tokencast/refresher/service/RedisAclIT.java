package io.tokencast.refresher.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.AclCategory;
import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.tokencast.testkit.LocalInfrastructure;
import io.tokencast.testkit.RedisServerProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The refresher runs as a Redis ACL user that may touch only keys under its prefix (docs/security.md, "Redis"):
 * every key it needs (tokens, versions, locks, quota, ledgers) lives there, and Redis denies the user anything
 * else. Uses a Redis of its own, because it changes the users.
 */
class RedisAclIT {

    private static final String USER = "tokencast";
    private static final String PASSWORD = UUID.randomUUID().toString();

    private final RedisServerProcess redis = LocalInfrastructure.dedicatedRedis();
    private final RefresherCluster cluster = new RefresherCluster(
            "redis://" + USER + ":" + PASSWORD + "@" + redis.host() + ":" + redis.port(),
            TestApp.many(0xac1, 3),
            Map.of());
    private final RedisClient client = RedisClient.create();

    @AfterEach
    void stop() {
        try {
            cluster.closeAfterCheckingNoSecretsLeaked();
        } finally {
            client.shutdown();
            redis.close();
        }
    }

    @Test
    void refreshesAsAUserLimitedToItsKeyPrefix() {
        String adminPassword = UUID.randomUUID().toString();
        try (StatefulRedisConnection<String, String> setup = client.connect(redisUri(null, null))) {
            RedisCommands<String, String> redisAdmin = setup.sync();
            redisAdmin.aclSetuser(
                    "admin",
                    AclSetuserArgs.Builder.on()
                            .addPassword(adminPassword)
                            .allKeys()
                            .allCommands());
            redisAdmin.aclSetuser(
                    USER,
                    AclSetuserArgs.Builder.on()
                            .addPassword(PASSWORD)
                            .keyPattern(cluster.keyPrefix + "*")
                            .allCommands()
                            .removeCategory(AclCategory.DANGEROUS));
            // nobody else gets in: not the refresher by accident through the default user either
            redisAdmin.aclSetuser("default", AclSetuserArgs.Builder.off());
            redisAdmin.set("elsewhere:secret", "not for tokencast");
        }

        cluster.start("acl-replica");
        await("every app refreshed as the limited user")
                .atMost(Duration.ofSeconds(30))
                .until(() -> cluster.latest().size() == cluster.apps.size());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> cluster.stored().values().stream().allMatch(s -> s.version() == 1));

        try (StatefulRedisConnection<String, String> admin = client.connect(redisUri("admin", adminPassword));
                StatefulRedisConnection<String, String> limited = client.connect(redisUri(USER, PASSWORD))) {
            assertThat(admin.sync().keys(cluster.keyPrefix + "*")).isNotEmpty();
            // the refresher wrote nothing outside its prefix, and Redis denied it nothing it tried
            assertThat(admin.sync().keys("*"))
                    .allMatch(key -> key.startsWith(cluster.keyPrefix) || key.equals("elsewhere:secret"));
            List<Map<String, Object>> denials = admin.sync().aclLog();
            assertThat(denials).as("ACL LOG").isEmpty();
            // and the limit is real
            assertThatThrownBy(() -> limited.sync().get("elsewhere:secret"))
                    .isInstanceOf(RedisCommandExecutionException.class)
                    .hasMessageContaining("NOPERM");
            assertThatThrownBy(() -> limited.sync().flushall())
                    .isInstanceOf(RedisCommandExecutionException.class)
                    .hasMessageContaining("NOPERM");
        }
    }

    private RedisURI redisUri(String user, String password) {
        RedisURI.Builder uri = RedisURI.builder().withHost(redis.host()).withPort(redis.port());
        if (user != null) {
            uri.withAuthentication(user, password.toCharArray());
        }
        return uri.build();
    }
}
