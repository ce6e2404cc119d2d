package io.tokencast.refresher.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tokencast.schema.AttemptOutcome;
import io.tokencast.schema.RefreshAttempted;
import io.tokencast.schema.TokenKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Bounded damage from forged Redis state (issue 14, point 3): a version that cannot grow costs no WeChat call,
 * a key whose writes Redis keeps refusing costs one fetch per rest, unreadable retry state is ignored, and each
 * is audited FAILED with its own code. Never a fetch per tick. (A forged hash whose genuine version is still on the
 * tokens topic is put right from there: see SigningIT. Here the topic's copy is gone too.)
 */
class ForgedRedisStateIT {

    private final List<TestApp> apps =
            List.of(TestApp.of(0x14f, 0, "classic"), TestApp.of(0x14f, 1, "classic"), TestApp.of(0x14f, 2, "classic"));
    private final RefresherCluster cluster = new RefresherCluster(apps);

    @AfterEach
    void stop() {
        cluster.closeAfterCheckingNoSecretsLeaked();
    }

    @Test
    void forgedVersionsAndRefusedWritesAreFailedAndRestedInsteadOfFetchedEveryTick() {
        // given three keys at version 1
        cluster.start("only");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> cluster.stored().values().stream().allMatch(s -> s.version() == 1));
        TestApp exhausted = apps.get(0);
        TestApp garbledRetry = apps.get(1);
        TestApp refused = apps.get(2);
        // (forged while the refresher is down, so that it meets all of it at once when it starts)
        cluster.stop("only");
        SharedRedis connection = SharedRedis.connect();
        StringRedisTemplate redis = connection.template();

        // when Redis is forged: a version floor of 2^63-1, a retry state that is no number, and a hash whose
        // version disagrees with its unreadable JSON (so every compare-and-set fails), for a key whose record on
        // the tokens topic has been tombstoned (so recovery has nothing to put back)
        redis.opsForValue().set(cluster.keyPrefix + "token-version:" + exhausted.key(), Long.toString(Long.MAX_VALUE));
        redis.opsForHash()
                .putAll(
                        cluster.keyPrefix + "retry:" + garbledRetry.key(),
                        Map.of("failures", "many", "notBefore", "tomorrow", "errorCode", "x\r\ny"));
        redis.opsForHash().putAll(cluster.keyPrefix + "token:" + refused.key(), Map.of("json", "{", "version", "999"));
        cluster.topics.send(cluster.tokensTopic, refused.key().asString(), null);
        connection.close();
        cluster.start("only");
        // and every token falls due
        cluster.clock.advance(Duration.ofMinutes(100));

        // then the garbled retry state is ignored and its key refreshed as planned
        await().atMost(Duration.ofSeconds(30))
                .until(() -> cluster.stored().get(garbledRetry.key()).version() == 2);
        // and the other two are FAILED with their own codes
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(failures(exhausted.key())).contains("VERSION_EXHAUSTED");
            assertThat(failures(refused.key())).contains("WRITE_REJECTED");
        });
        assertThat(fetches(refused)).as("one fetch after the forgery").isEqualTo(2);

        // and when someone also deletes the rest from Redis, this replica remembers it (20 minutes)
        redis = cluster.context("only").getBean(StringRedisTemplate.class);
        redis.delete(cluster.keyPrefix + "retry:" + refused.key());
        cluster.clock.advance(Duration.ofMinutes(10));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> fetches(refused) == 2);

        // and over the next hour, ten virtual minutes at a time, neither key costs more than the bound
        for (int i = 0; i < 6; i++) {
            cluster.clock.advance(Duration.ofMinutes(10));
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> fetches(exhausted) == 1);
        }
        assertThat(fetches(exhausted))
                .as("no fetch for a version that cannot grow")
                .isEqualTo(1);
        assertThat(fetches(refused) - 1).as("extra fetches in 70 minutes").isLessThanOrEqualTo(3);
    }

    private long fetches(TestApp app) {
        return cluster.sandbox.calls(app.appid(), app.endpoint());
    }

    private List<String> failures(TokenKey key) {
        return cluster.topics.audit(cluster.auditTopic).stream()
                .filter(a -> a.tokenKey().equals(key.asString()) && a.outcome() == AttemptOutcome.FAILED)
                .map(RefreshAttempted::errorCode)
                .toList();
    }
}
